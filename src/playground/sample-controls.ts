/**
 * What a person may change in the playground's sample accounts, each change checked first: a
 * bad request says what is wrong and changes nothing. The accounts are the in-memory IAM of
 * sample-accounts.ts; nothing here can reach AWS.
 */
import type { InMemoryIam, MemoryUser } from '../adapters/memory/in-memory-iam';
import { virtualMfaSerial } from '../domain/partition';
import { AppError } from '../errors';

export interface PlaygroundAccount {
  readonly accountId: string;
  readonly label: string;
  readonly iam: InMemoryIam;
  /** Its role refuses the AssumeRole: it has no users to change, and every scan fails it. */
  readonly refusing: boolean;
}

export type UserChange = 'enable_mfa' | 'remove_mfa' | 'remove_password' | 'add_password';

export const USER_CHANGES: readonly UserChange[] = ['enable_mfa', 'remove_mfa', 'remove_password', 'add_password'];

export const isUserChange = (value: unknown): value is UserChange =>
  typeof value === 'string' && USER_CHANGES.some((change) => change === value);

const MAX_NAME = 64;
const MAX_TAG_VALUE = 256;

const invalid = (message: string, hint: string): AppError => new AppError('usage', message, { hint });

const accountOf = (accounts: readonly PlaygroundAccount[], accountId: string): PlaygroundAccount => {
  const account = accounts.find((a) => a.accountId === accountId);
  if (account === undefined) throw invalid(`No sample account ${accountId}.`, 'Pick one of the accounts listed.');
  if (account.refusing)
    throw invalid(`${account.label} refuses the AssumeRole, so it has no users to change.`, 'Pick another account.');
  return account;
};

const userOf = (account: PlaygroundAccount, userName: string): MemoryUser => {
  const user = account.iam.currentUsers().find((u) => u.userName.toLowerCase() === userName.toLowerCase());
  if (user === undefined)
    throw invalid(`${account.label} has no user ${JSON.stringify(userName)}.`, 'Pick one of the users listed.');
  return user;
};

export const changeUser = (
  accounts: readonly PlaygroundAccount[],
  request: { readonly accountId: string; readonly userName: string; readonly change: UserChange },
  now: Date,
): void => {
  const account = accountOf(accounts, request.accountId);
  const user = userOf(account, request.userName);
  const { iam } = account;
  switch (request.change) {
    case 'enable_mfa':
      if (user.mfaDevices.length > 0) throw invalid(`${user.userName} already has MFA.`, 'Nothing to do.');
      return iam.addMfaDevice(user.userName, {
        serialNumber: virtualMfaSerial('aws', account.accountId, user.userName),
        kind: 'virtual',
        enableDate: now,
      });
    case 'remove_mfa':
      if (user.mfaDevices.length === 0) throw invalid(`${user.userName} has no MFA device.`, 'Nothing to do.');
      for (const device of user.mfaDevices) iam.removeMfaDevice(user.userName, device.serialNumber);
      return;
    case 'remove_password':
      if (!user.loginProfile) throw invalid(`${user.userName} has no console password.`, 'Nothing to do.');
      return iam.setLoginProfile(user.userName, false);
    case 'add_password':
      if (user.loginProfile) throw invalid(`${user.userName} already has a console password.`, 'Nothing to do.');
      return iam.setLoginProfile(user.userName, true);
  }
};

let nextUserId = 1;

/**
 * A new user with a console password and no MFA. The playground does not apply IAM's character
 * rules to the name or tags, so anyone can see how the bot and the page treat any text.
 */
export const addUser = (
  accounts: readonly PlaygroundAccount[],
  request: {
    readonly accountId: string;
    readonly userName: string;
    readonly ownerTag: string;
    readonly exemptTag: string;
  },
  now: Date,
): MemoryUser => {
  const account = accountOf(accounts, request.accountId);
  const userName = request.userName.trim();
  if (userName === '' || userName.length > MAX_NAME)
    throw invalid(`A user name must be 1 to ${MAX_NAME} characters.`, 'Type another name.');
  if (request.ownerTag.length > MAX_TAG_VALUE || request.exemptTag.length > MAX_TAG_VALUE)
    throw invalid(`A tag value must be at most ${MAX_TAG_VALUE} characters.`, 'Shorten it.');
  if (account.iam.currentUsers().some((u) => u.userName.toLowerCase() === userName.toLowerCase()))
    throw invalid(`${account.label} already has a user ${JSON.stringify(userName)}.`, 'Pick another name.');
  const tags: Record<string, string> = {};
  if (request.ownerTag.trim() !== '') tags['slack-owner'] = request.ownerTag.trim();
  if (request.exemptTag.trim() !== '') tags['mfa-exempt'] = request.exemptTag.trim();
  const user: MemoryUser = {
    userName,
    userId: `AIDAPLAYGROUND${String(nextUserId++).padStart(7, '0')}`,
    // Older than the grace period, so the next scan finds it at once.
    createDate: new Date(now.getTime() - 30 * 86_400_000),
    passwordLastUsed: null,
    loginProfile: true,
    mfaDevices: [],
    tags,
  };
  account.iam.addUser(user);
  return user;
};
