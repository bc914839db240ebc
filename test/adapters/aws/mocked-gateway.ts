import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

import { createAwsIamGateway } from '../../../src/adapters/aws/iam-gateway';
import { AppError } from '../../../src/errors';

/** A gateway over real SDK clients whose `send` is stubbed per instance (nothing leaves the process). */
export const mockedGateway = () => {
  const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'not-a-real-secret' };
  const iam = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  const sts = new STSClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  const iamMock = mockClient(iam);
  const stsMock = mockClient(sts);
  return { gateway: createAwsIamGateway({ iam, sts }), iamMock, stsMock };
};

/** The AppError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export const appErrorOf = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail, but it succeeded');
};
