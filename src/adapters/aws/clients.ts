import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
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

export function createAwsClients(options: AwsGatewayOptions): AwsClients {
  const common = {
    region: options.region,
    maxAttempts: options.maxAttempts,
    // Adaptive mode adds client-side rate limiting on top of backoff, which is what a scan that
    // fans out over many users needs against IAM's account-wide throttling.
    retryMode: 'adaptive',
    requestHandler: REQUEST_HANDLER,
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
