import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsGatewayOptions {
  readonly region: string;
  /** From AWS_ENDPOINT_URL_IAM; unset means the SDK's own choice for the region's partition. */
  readonly iamEndpoint?: string | undefined;
  /** From AWS_ENDPOINT_URL_STS. */
  readonly stsEndpoint?: string | undefined;
  /** SDK attempts per call (adaptive retry mode), including the first. */
  readonly maxAttempts: number;
  /**
   * Only for tests and embedding: production leaves this unset so the SDK's default credential
   * chain (env, profile, SSO, instance/task role) decides.
   */
  readonly credentials?: IAMClientConfig['credentials'];
}

export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

// Without these the Node handler waits forever on a dead connection and a scan hangs while
// holding its lease. The report download is the largest response (a few MB at most).
const REQUEST_HANDLER = {
  connectionTimeout: 10_000,
  requestTimeout: 120_000,
  throwOnRequestTimeout: true,
};

// An empty AWS_ENDPOINT_URL_* means "not set", as it does for the AWS CLI and SDKs.
const endpointOption = (endpoint: string | undefined): { endpoint?: string } =>
  endpoint === undefined || endpoint.trim() === '' ? {} : { endpoint: endpoint.trim() };

/** What every client shares, credentials aside: region, retries, timeouts. */
export const commonClientConfig = (options: Pick<AwsGatewayOptions, 'region' | 'maxAttempts'>) => ({
  region: options.region,
  maxAttempts: options.maxAttempts,
  // Adaptive mode adds client-side rate limiting on top of backoff, which is what a scan that
  // fans out over many users needs against IAM's account-wide throttling.
  retryMode: 'adaptive',
  requestHandler: REQUEST_HANDLER,
});

/** The client AssumeRole goes through: the ambient credentials' STS, at AWS_ENDPOINT_URL_STS. */
export const stsClientConfig = (options: AwsGatewayOptions) => ({
  ...commonClientConfig(options),
  ...endpointOption(options.stsEndpoint),
});

export function createAwsClients(options: AwsGatewayOptions): AwsClients {
  const common = {
    ...commonClientConfig(options),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  return {
    iam: new IAMClient({
      ...common,
      ...endpointOption(options.iamEndpoint),
    }),
    sts: new STSClient({
      ...common,
      ...endpointOption(options.stsEndpoint),
    }),
  };
}

/** organizations:ListAccounts, with the ambient credentials, at AWS_ENDPOINT_URL_ORGANIZATIONS when set. */
export const createOrganizationsClient = (
  options: AwsGatewayOptions & { readonly organizationsEndpoint?: string | undefined },
): OrganizationsClient =>
  new OrganizationsClient({
    ...commonClientConfig(options),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...endpointOption(options.organizationsEndpoint),
  });
