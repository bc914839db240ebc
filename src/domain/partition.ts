import type { Partition } from './types';

const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const satisfies readonly Partition[];

export const isPartition = (value: string): value is Partition => (PARTITIONS as readonly string[]).includes(value);

/** `arn:PARTITION:service:region:account:resource` → PARTITION, or null when it is not one we know. */
export const partitionFromArn = (arn: string): Partition | null => {
  const part = arn.split(':')[1];
  return part !== undefined && isPartition(part) ? part : null;
};

/** The region an SDK client should use when the operator did not choose one for this partition. */
export const defaultRegionFor = (partition: Partition): string => {
  switch (partition) {
    case 'aws':
      return 'us-east-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    case 'aws-cn':
      return 'cn-north-1';
  }
};

export const partitionFromRegion = (region: string): Partition => {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
};

export const consoleHost = (partition: Partition): string => {
  switch (partition) {
    case 'aws':
      return 'console.aws.amazon.com';
    case 'aws-us-gov':
      return 'console.amazonaws-us-gov.com';
    case 'aws-cn':
      return 'console.amazonaws.cn';
  }
};

/** Direct link to one IAM user's "Security credentials" tab in the console. */
export const userSecurityCredentialsUrl = (partition: Partition, userName: string): string =>
  `https://${consoleHost(partition)}/iam/home#/users/details/${encodeURIComponent(userName)}?section=security_credentials`;

/** The serial number IAM gives a virtual MFA device created with the user's name at path `/`. */
export const virtualMfaSerial = (partition: Partition, accountId: string, userName: string): string =>
  `arn:${partition}:iam::${accountId}:mfa/${userName}`;

export const userArn = (partition: Partition, accountId: string, userName: string, path = '/'): string =>
  `arn:${partition}:iam::${accountId}:user${path}${userName}`;
