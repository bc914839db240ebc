/**
 * What test/bot/claim-bot-process.ts (a bot in its own process) and test/support/bot-process.ts
 * (the test that runs it) say to each other over the IPC channel.
 */
import type { IamOperation } from '../../src/adapters/memory/in-memory-iam';
import type { AppErrorCode } from '../../src/errors';

export type IamMethod = IamOperation;

/** The IAM action of each call, for the error of an abandoned one (as the AWS gateway names it). */
export const IAM_ACTIONS: Readonly<Record<IamMethod, string>> = {
  getCallerIdentity: 'sts:GetCallerIdentity',
  generateCredentialReport: 'iam:GenerateCredentialReport',
  getCredentialReport: 'iam:GetCredentialReport',
  listUsers: 'iam:ListUsers',
  getUser: 'iam:GetUser',
  getLoginProfile: 'iam:GetLoginProfile',
  listMfaDevices: 'iam:ListMFADevices',
  listUserTags: 'iam:ListUserTags',
  getAccountSummary: 'iam:GetAccountSummary',
  listAccountAliases: 'iam:ListAccountAliases',
  deleteLoginProfile: 'iam:DeleteLoginProfile',
};

/** How the child starts: its settings (as the bot reads them from the environment), holder and clock. */
export interface ProcessSettings {
  readonly env: Readonly<Record<string, string>>;
  readonly holder: string;
  readonly startIso: string;
}

export type ParentMessage =
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'scan' }
  | { readonly type: 'stop' }
  | {
      readonly type: 'iam-answer';
      readonly id: number;
      readonly value: unknown;
      readonly error: { readonly code: AppErrorCode; readonly text: string; readonly hint: string | null } | null;
    };

export type ChildMessage =
  | { readonly type: 'started'; readonly port: number }
  | { readonly type: 'advanced'; readonly nowIso: string }
  | { readonly type: 'scanned' }
  | { readonly type: 'stopped' }
  | { readonly type: 'audit'; readonly line: string }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'iam'; readonly id: number; readonly method: IamMethod; readonly userName: string | undefined };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringRecord = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every((v) => typeof v === 'string');

/** The settings the child was started with, or null when the argument is not them. */
export const parseSettings = (raw: string): ProcessSettings | null => {
  const value: unknown = JSON.parse(raw);
  if (!isRecord(value) || !isStringRecord(value['env'])) return null;
  const { holder, startIso } = value;
  return typeof holder === 'string' && typeof startIso === 'string' ? { env: value['env'], holder, startIso } : null;
};

const PARENT_TYPES: readonly string[] = ['advance', 'scan', 'stop', 'iam-answer'];
const CHILD_TYPES: readonly string[] = ['started', 'advanced', 'scanned', 'stopped', 'audit', 'log', 'iam'];

// Both ends are our own code on one IPC channel: the type tag is all there is to check.
export const isParentMessage = (value: unknown): value is ParentMessage =>
  isRecord(value) && typeof value['type'] === 'string' && PARENT_TYPES.includes(value['type']);

export const isChildMessage = (value: unknown): value is ChildMessage =>
  isRecord(value) && typeof value['type'] === 'string' && CHILD_TYPES.includes(value['type']);
