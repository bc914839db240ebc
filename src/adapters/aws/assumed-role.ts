import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

import { ROLE_SESSION_NAME } from '../../domain/account-entries';
import type { IamGateway } from '../../ports/iam';
import { type AwsGatewayOptions, createAwsClients, stsClientConfig } from './clients';
import { assumeRoleError } from './error-mapping';
import { createAwsIamGateway } from './iam-gateway';

type Credentials = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;

// The SDK clients refresh their copy this long before it expires (@smithy/core EXPIRATION_MS); the
// shared copy below uses the same margin, so a client asking for fresh credentials gets them.
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * One set of credentials shared by an account's IAM and STS clients, so that both make one
 * AssumeRole between them, fetched again once fewer than five minutes are left. Concurrent callers
 * wait on the same AssumeRole; a failure is not remembered, so the next call tries again.
 */
export const sharedRefreshingCredentials = (
  fetch: () => Promise<Credentials>,
  now: () => number = Date.now,
): (() => Promise<Credentials>) => {
  let current: Credentials | null = null;
  let pending: Promise<Credentials> | null = null;
  const fresh = (credentials: Credentials): boolean =>
    credentials.expiration === undefined || credentials.expiration.getTime() - now() > REFRESH_BEFORE_MS;
  return () => {
    if (current !== null && fresh(current)) return Promise.resolve(current);
    pending ??= fetch()
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
};

export interface RoleOptions extends AwsGatewayOptions {
  /** AWS_EXTERNAL_ID, when the roles' trust policies ask for one. */
  readonly externalId?: string | undefined;
}

/**
 * Temporary credentials for `roleArn`, from sts:AssumeRole made with the ambient credentials (or
 * `options.credentials`, for tests) through AWS_REGION / AWS_ENDPOINT_URL_STS. A failure is an
 * `iam_assume_role_failed` AppError naming the role; the credentials themselves are never logged.
 */
export const assumedRoleCredentials = (roleArn: string, options: RoleOptions): (() => Promise<Credentials>) => {
  const provider = fromTemporaryCredentials({
    params: {
      RoleArn: roleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
    },
    clientConfig: stsClientConfig(options),
    ...(options.credentials === undefined ? {} : { masterCredentials: options.credentials }),
  });
  return sharedRefreshingCredentials(async () => {
    try {
      return await provider();
    } catch (error) {
      throw assumeRoleError(error, roleArn);
    }
  });
};

/** An account's IAM through `roleArn`: its own IAM and STS clients over the role's credentials. */
export const createRoleGateway = (roleArn: string, options: RoleOptions): IamGateway =>
  createAwsIamGateway(createAwsClients({ ...options, credentials: assumedRoleCredentials(roleArn, options) }));
