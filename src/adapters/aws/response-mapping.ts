import type { MFADevice, User } from '@aws-sdk/client-iam';

import type { IamUser, MfaDevice } from '../../domain/types';
import { type AwsCallContext, unexpectedResponse } from './error-mapping';

/** A field IAM documents as always present; its absence means the response cannot be trusted. */
export const required = <T>(value: T | undefined | null, context: AwsCallContext, what: string): T => {
  if (value === undefined || value === null) throw unexpectedResponse(context, `no ${what}`);
  return value;
};

export const toIamUser = (user: User, context: AwsCallContext): IamUser => ({
  userName: required(user.UserName, context, 'UserName'),
  userId: required(user.UserId, context, 'UserId'),
  arn: required(user.Arn, context, 'Arn'),
  path: required(user.Path, context, 'Path'),
  createDate: required(user.CreateDate, context, 'CreateDate'),
  // Absent when the password was never used (or the user has none).
  passwordLastUsed: user.PasswordLastUsed ?? null,
});

export const toMfaDevice = (device: MFADevice, context: AwsCallContext): MfaDevice => ({
  serialNumber: required(device.SerialNumber, context, 'MFA device SerialNumber'),
  enableDate: device.EnableDate ?? null,
});
