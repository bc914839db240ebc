import {
  DeleteLoginProfileCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

import type {
  AccountSummary,
  CallerIdentity,
  CredentialReport,
  CredentialReportState,
  LoginProfile,
} from '../../domain/iam-records';
import { partitionFromArn } from '../../domain/partition';
import type { IamUser, MfaDevice, Tags } from '../../domain/types';
import type { IamCallOptions, IamGateway } from '../../ports/iam';
import type { AwsClients } from './clients';
import { type AwsCallContext, callAws, callAwsOrNullIfMissing, unexpectedResponse } from './error-mapping';
import { collectMarkerPages } from './paginate';
import { decodeReportContent } from './report-content';
import { required, toIamUser, toMfaDevice } from './response-mapping';

export type { AwsClients, AwsGatewayOptions } from './clients';
export { createAwsClients } from './clients';

// IAM's maximum page size: fewer round trips, less throttling.
const PAGE_SIZE = 1000;

const REPORT_STATES = ['STARTED', 'INPROGRESS', 'COMPLETE'] as const satisfies readonly CredentialReportState[];

/** The SDK cancels the request (and its retries) when the signal aborts. */
const sendOptions = (options: IamCallOptions): { abortSignal?: AbortSignal } =>
  options.signal === undefined ? {} : { abortSignal: options.signal };

const isReportState = (value: string): value is CredentialReportState => REPORT_STATES.some((state) => state === value);

export function createAwsIamGateway(clients: AwsClients): IamGateway {
  const { iam, sts } = clients;

  return {
    async getCallerIdentity(): Promise<CallerIdentity> {
      const context: AwsCallContext = { action: 'sts:GetCallerIdentity' };
      const response = await callAws(context, () => sts.send(new GetCallerIdentityCommand({})));
      const arn = required(response.Arn, context, 'Arn');
      const partition = partitionFromArn(arn);
      if (partition === null) {
        throw unexpectedResponse(context, `the caller ARN ${arn} is in a partition mfa-guard does not support`);
      }
      return { accountId: required(response.Account, context, 'Account'), arn, partition };
    },

    async generateCredentialReport(): Promise<CredentialReportState> {
      const context: AwsCallContext = { action: 'iam:GenerateCredentialReport' };
      const response = await callAws(context, () => iam.send(new GenerateCredentialReportCommand({})));
      const state = required(response.State, context, 'State');
      if (!isReportState(state)) throw unexpectedResponse(context, `unknown report State ${String(state)}`);
      return state;
    },

    async getCredentialReport(): Promise<CredentialReport> {
      const context: AwsCallContext = { action: 'iam:GetCredentialReport' };
      const response = await callAws(context, () => iam.send(new GetCredentialReportCommand({})));
      return {
        content: decodeReportContent(required(response.Content, context, 'Content'), context),
        generatedAt: required(response.GeneratedTime, context, 'GeneratedTime'),
      };
    },

    async listUsers(): Promise<IamUser[]> {
      const context: AwsCallContext = { action: 'iam:ListUsers' };
      return collectMarkerPages(context, async (marker) => {
        const page = await callAws(context, () =>
          iam.send(new ListUsersCommand({ Marker: marker, MaxItems: PAGE_SIZE })),
        );
        return {
          items: required(page.Users, context, 'Users').map((user) => toIamUser(user, context)),
          isTruncated: page.IsTruncated === true,
          marker: page.Marker,
        };
      });
    },

    async getUser(userName: string, options: IamCallOptions = {}): Promise<IamUser | null> {
      const context: AwsCallContext = { action: 'iam:GetUser', userName };
      const response = await callAwsOrNullIfMissing(
        context,
        () => iam.send(new GetUserCommand({ UserName: userName }), sendOptions(options)),
        options.signal,
      );
      return response === null ? null : toIamUser(required(response.User, context, 'User'), context);
    },

    async getLoginProfile(userName: string, options: IamCallOptions = {}): Promise<LoginProfile | null> {
      const context: AwsCallContext = { action: 'iam:GetLoginProfile', userName };
      // NoSuchEntity is how IAM says "this user has no console password".
      const response = await callAwsOrNullIfMissing(
        context,
        () => iam.send(new GetLoginProfileCommand({ UserName: userName }), sendOptions(options)),
        options.signal,
      );
      if (response === null) return null;
      const profile = required(response.LoginProfile, context, 'LoginProfile');
      return {
        createDate: profile.CreateDate ?? null,
        passwordResetRequired: profile.PasswordResetRequired === true,
      };
    },

    async listMfaDevices(userName: string, options: IamCallOptions = {}): Promise<MfaDevice[]> {
      const context: AwsCallContext = { action: 'iam:ListMFADevices', userName };
      // ListMFADevices returns every kind (virtual, hardware TOTP, FIDO security key), so no filter.
      return collectMarkerPages(context, async (marker) => {
        const page = await callAws(
          context,
          () =>
            iam.send(
              new ListMFADevicesCommand({ UserName: userName, Marker: marker, MaxItems: PAGE_SIZE }),
              sendOptions(options),
            ),
          options.signal,
        );
        return {
          items: required(page.MFADevices, context, 'MFADevices').map((device) => toMfaDevice(device, context)),
          isTruncated: page.IsTruncated === true,
          marker: page.Marker,
        };
      });
    },

    async listUserTags(userName: string, options: IamCallOptions = {}): Promise<Tags> {
      const context: AwsCallContext = { action: 'iam:ListUserTags', userName };
      const tags = await collectMarkerPages(context, async (marker) => {
        const page = await callAws(
          context,
          () =>
            iam.send(
              new ListUserTagsCommand({ UserName: userName, Marker: marker, MaxItems: PAGE_SIZE }),
              sendOptions(options),
            ),
          options.signal,
        );
        return {
          items: required(page.Tags, context, 'Tags').map((tag): [string, string] => [
            required(tag.Key, context, 'tag Key'),
            required(tag.Value, context, 'tag Value'),
          ]),
          isTruncated: page.IsTruncated === true,
          marker: page.Marker,
        };
      });
      // fromEntries defines own properties, so a tag key like "__proto__" stays an ordinary tag.
      return Object.fromEntries(tags);
    },

    async getAccountSummary(): Promise<AccountSummary> {
      const context: AwsCallContext = { action: 'iam:GetAccountSummary' };
      const response = await callAws(context, () => iam.send(new GetAccountSummaryCommand({})));
      const summary = required(response.SummaryMap, context, 'SummaryMap');
      // A missing key must not read as "root has no MFA": that would raise a false alarm.
      const mfaEnabled = required(summary.AccountMFAEnabled, context, 'SummaryMap.AccountMFAEnabled');
      return { accountMfaEnabled: mfaEnabled === 1 };
    },

    async listAccountAliases(): Promise<string[]> {
      const context: AwsCallContext = { action: 'iam:ListAccountAliases' };
      return collectMarkerPages(context, async (marker) => {
        const page = await callAws(context, () =>
          iam.send(new ListAccountAliasesCommand({ Marker: marker, MaxItems: PAGE_SIZE })),
        );
        return {
          items: required(page.AccountAliases, context, 'AccountAliases'),
          isTruncated: page.IsTruncated === true,
          marker: page.Marker,
        };
      });
    },

    async deleteLoginProfile(userName: string, options: IamCallOptions = {}): Promise<'deleted' | 'not_found'> {
      const context: AwsCallContext = { action: 'iam:DeleteLoginProfile', userName };
      // IAM answers NoSuchEntity both when the user has no console password and when the user is gone
      // (and when an SDK retry follows a delete that did succeed): no password is left either way.
      const response = await callAwsOrNullIfMissing(
        context,
        () => iam.send(new DeleteLoginProfileCommand({ UserName: userName }), sendOptions(options)),
        options.signal,
      );
      return response === null ? 'not_found' : 'deleted';
    },
  };
}
