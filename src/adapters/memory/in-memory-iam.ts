/**
 * An IamGateway over in-memory state, for the demo, the CLI end-to-end tests and service tests.
 * It answers the way IAM does wherever the scan can tell the difference (report CSV format,
 * report generation states, NoSuchEntity → null, case-insensitive user names, second-precision
 * timestamps), so the real scan code runs on it unchanged.
 */
import type {
  AccountSummary,
  CallerIdentity,
  CredentialReport,
  CredentialReportState,
  LoginProfile,
} from '../../domain/iam-records';
import { userArn } from '../../domain/partition';
import type { IamUser, MfaDevice, Partition, Tags } from '../../domain/types';
import { AppError } from '../../errors';
import type { IamCallOptions, IamGateway } from '../../ports/iam';
import { abandonedIamCall, abandonOnAbort } from '../abandoned-call';
import { renderCredentialReport, type ReportUserRow, toIamTime } from './credential-report-csv';

export interface MemoryMfaDevice {
  readonly serialNumber: string;
  readonly kind: 'virtual' | 'hardware' | 'security-key';
  readonly enableDate: Date;
}

export interface MemoryUser {
  readonly userName: string;
  readonly userId: string;
  readonly path?: string;
  readonly createDate: Date;
  readonly passwordLastUsed?: Date | null;
  readonly loginProfile: boolean;
  readonly mfaDevices: readonly MemoryMfaDevice[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface MemoryAccount {
  readonly accountId: string;
  readonly partition: Partition;
  readonly rootMfaActive: boolean;
  /** The account alias (IAM allows at most one); absent or null = none. */
  readonly alias?: string | null;
  readonly users: readonly MemoryUser[];
  /** The root row's user_creation_time; defaults to the oldest user's creation (or report time). */
  readonly rootCreateDate?: Date;
  /** The root row's password_last_used; null/absent → `no_information`. */
  readonly rootPasswordLastUsed?: Date | null;
}

export type IamOperation =
  | 'getCallerIdentity'
  | 'generateCredentialReport'
  | 'getCredentialReport'
  | 'listUsers'
  | 'getUser'
  | 'getLoginProfile'
  | 'listMfaDevices'
  | 'listUserTags'
  | 'getAccountSummary'
  | 'listAccountAliases'
  | 'deleteLoginProfile';

export interface IamCall {
  readonly operation: IamOperation;
  readonly userName?: string;
}

export interface ReportSnapshot {
  readonly generatedAt: Date;
  readonly users: readonly MemoryUser[];
}

export interface InMemoryIamOptions {
  readonly account: MemoryAccount;
  /** The report's generatedAt (when no snapshot) and the time of mutations. */
  readonly clock: () => Date;
  /** The credential report as of an earlier moment: lets a test/demo model a report that is hours old. */
  readonly reportSnapshot?: ReportSnapshot;
  /** How many generateCredentialReport calls answer STARTED/INPROGRESS before COMPLETE (default 0). */
  readonly reportPendingPolls?: number;
  /** Raw CSV lines appended to the report (to model a producer that does not quote comma-bearing names). */
  readonly extraReportLines?: readonly string[];
  /**
   * Awaited at the start of every IamGateway call, before the call is recorded, failWith is applied
   * or any state is read: lets a test make IAM slow or hold a call until it releases it (races).
   * A held call therefore sees the state as it is when released. If it rejects, the call rejects
   * with that error and is not recorded. `userName` is undefined for account-wide calls.
   *
   * A call given a signal that aborts answers `iam_timeout` at once, as the AWS gateway does, but a
   * held call goes on once released (it is recorded and changes state then), like a request AWS had
   * already received; a signal that aborted before the call starts stops it from being made at all.
   */
  readonly beforeCall?: (operation: IamOperation, userName: string | undefined) => Promise<void>;
}

export const SCANNER_USER_NAME = 'mfa-guard-scanner';

interface UserState {
  readonly user: MemoryUser;
  /** When the console password was created; null when the user has none. */
  readonly loginProfileCreatedAt: Date | null;
}

interface FailureRule {
  readonly operation: IamOperation;
  readonly error: AppError;
  readonly userName: string | undefined;
  /** undefined = fail forever. */
  remaining: number | undefined;
}

// IAM user names are unique regardless of case, and lookups ignore case.
const nameKey = (userName: string): string => userName.toLowerCase();

export class InMemoryIam implements IamGateway {
  private readonly options: InMemoryIamOptions;
  private readonly users = new Map<string, UserState>();
  private readonly failures: FailureRule[] = [];
  private readonly callLog: IamCall[] = [];
  private pendingPollsLeft: number;
  private generationStarted = false;
  private report: CredentialReport | null = null;

  constructor(options: InMemoryIamOptions) {
    this.options = options;
    this.pendingPollsLeft = Math.max(0, options.reportPendingPolls ?? 0);
    for (const user of options.account.users) this.addUser(user);
  }

  /** The users as they are now (no call is made or recorded): what the playground's page lists. */
  currentUsers(): MemoryUser[] {
    return [...this.users.values()].map((state) => state.user);
  }

  /** Every call made, in order, failed ones included. */
  get calls(): ReadonlyArray<IamCall> {
    return this.callLog;
  }

  /**
   * Make an operation fail with `error`, for every user or only `userName`; `times` = how many
   * matching calls fail (default: all). Rules are tried in the order they were added.
   */
  failWith(operation: IamOperation, error: AppError, options: { userName?: string; times?: number } = {}): void {
    this.failures.push({ operation, error, userName: options.userName, remaining: options.times });
  }

  setLoginProfile(userName: string, enabled: boolean): void {
    const state = this.requireUser(userName, 'setLoginProfile');
    this.users.set(nameKey(userName), {
      user: { ...state.user, loginProfile: enabled },
      loginProfileCreatedAt: enabled ? (state.loginProfileCreatedAt ?? this.options.clock()) : null,
    });
  }

  /** Sets (or replaces) one tag, e.g. to exempt a user after a removal was requested. */
  setTag(userName: string, key: string, value: string): void {
    const state = this.requireUser(userName, 'setTag');
    this.users.set(nameKey(userName), {
      ...state,
      // A computed key defines an own property, so even "__proto__" stays an ordinary tag.
      user: { ...state.user, tags: { ...state.user.tags, [key]: value } },
    });
  }

  addMfaDevice(userName: string, device: MemoryMfaDevice): void {
    const state = this.requireUser(userName, 'addMfaDevice');
    this.users.set(nameKey(userName), {
      ...state,
      user: { ...state.user, mfaDevices: [...state.user.mfaDevices, device] },
    });
  }

  /** Deactivates and deletes one MFA device, as a person may right after a Recheck saw it. */
  removeMfaDevice(userName: string, serialNumber: string): void {
    const state = this.requireUser(userName, 'removeMfaDevice');
    if (!state.user.mfaDevices.some((d) => d.serialNumber === serialNumber)) {
      throw new AppError(
        'iam_no_such_entity',
        `In-memory IAM removeMfaDevice: user '${userName}' has no MFA device ${serialNumber}.`,
        {
          hint: 'Add the device with addMfaDevice first.',
        },
      );
    }
    this.users.set(nameKey(userName), {
      ...state,
      user: { ...state.user, mfaDevices: state.user.mfaDevices.filter((d) => d.serialNumber !== serialNumber) },
    });
  }

  removeUser(userName: string): void {
    this.requireUser(userName, 'removeUser');
    this.users.delete(nameKey(userName));
  }

  addUser(user: MemoryUser): void {
    if (this.users.has(nameKey(user.userName))) {
      throw new AppError('iam_invalid_request', `In-memory IAM: user '${user.userName}' already exists.`, {
        hint: 'IAM user names are unique regardless of case; remove the user first or pick another name.',
      });
    }
    this.users.set(nameKey(user.userName), {
      user,
      loginProfileCreatedAt: user.loginProfile ? user.createDate : null,
    });
  }

  // -------------------------------------------------------------------------------------------
  // IamGateway

  async getCallerIdentity(): Promise<CallerIdentity> {
    await this.enter('getCallerIdentity');
    const { accountId, partition } = this.options.account;
    return { accountId, partition, arn: userArn(partition, accountId, SCANNER_USER_NAME) };
  }

  async generateCredentialReport(): Promise<CredentialReportState> {
    await this.enter('generateCredentialReport');
    if (this.pendingPollsLeft > 0) {
      this.pendingPollsLeft -= 1;
      const state = this.generationStarted ? 'INPROGRESS' : 'STARTED';
      this.generationStarted = true;
      return state;
    }
    this.generationStarted = true;
    this.report = this.buildReport();
    return 'COMPLETE';
  }

  async getCredentialReport(): Promise<CredentialReport> {
    await this.enter('getCredentialReport');
    if (this.report !== null) return this.report;
    if (this.generationStarted) {
      throw new AppError(
        'iam_report_not_ready',
        'IAM GetCredentialReport: the credential report is still being generated.',
        {
          hint: 'Call GenerateCredentialReport again until it answers COMPLETE, then retry.',
        },
      );
    }
    throw new AppError(
      'iam_report_not_present',
      'IAM GetCredentialReport: no credential report exists for this account.',
      {
        hint: 'Call GenerateCredentialReport first.',
      },
    );
  }

  async listUsers(): Promise<IamUser[]> {
    await this.enter('listUsers');
    return [...this.users.values()].map((state) => this.toIamUser(state.user));
  }

  getUser(userName: string, options: IamCallOptions = {}): Promise<IamUser | null> {
    return this.abandonable('getUser', 'iam:GetUser', userName, options, () => {
      const state = this.users.get(nameKey(userName));
      return state === undefined ? null : this.toIamUser(state.user);
    });
  }

  getLoginProfile(userName: string, options: IamCallOptions = {}): Promise<LoginProfile | null> {
    return this.abandonable('getLoginProfile', 'iam:GetLoginProfile', userName, options, () => {
      const createdAt = this.users.get(nameKey(userName))?.loginProfileCreatedAt ?? null;
      return createdAt === null ? null : { createDate: toIamTime(createdAt), passwordResetRequired: false };
    });
  }

  listMfaDevices(userName: string, options: IamCallOptions = {}): Promise<MfaDevice[]> {
    return this.abandonable('listMfaDevices', 'iam:ListMFADevices', userName, options, () =>
      this.existingUser(userName, 'ListMFADevices').user.mfaDevices.map((device) => ({
        serialNumber: device.serialNumber,
        enableDate: toIamTime(device.enableDate),
      })),
    );
  }

  listUserTags(userName: string, options: IamCallOptions = {}): Promise<Tags> {
    return this.abandonable('listUserTags', 'iam:ListUserTags', userName, options, () => ({
      ...(this.existingUser(userName, 'ListUserTags').user.tags ?? {}),
    }));
  }

  async getAccountSummary(): Promise<AccountSummary> {
    await this.enter('getAccountSummary');
    return { accountMfaEnabled: this.options.account.rootMfaActive };
  }

  async listAccountAliases(): Promise<string[]> {
    await this.enter('listAccountAliases');
    const { alias } = this.options.account;
    return alias === undefined || alias === null ? [] : [alias];
  }

  deleteLoginProfile(userName: string, options: IamCallOptions = {}): Promise<'deleted' | 'not_found'> {
    return this.abandonable('deleteLoginProfile', 'iam:DeleteLoginProfile', userName, options, () => {
      const state = this.users.get(nameKey(userName));
      // Real IAM answers NoSuchEntity for a missing user as for a user without a console password, and
      // the real gateway turns both into 'not_found'; answering differently here would let service
      // tests rely on a distinction production never makes.
      if (state === undefined || state.loginProfileCreatedAt === null) return 'not_found';
      this.users.set(nameKey(userName), {
        user: { ...state.user, loginProfile: false },
        loginProfileCreatedAt: null,
      });
      return 'deleted';
    });
  }

  // -------------------------------------------------------------------------------------------

  /** One call of a user: entered (held, recorded, failed on demand), then answered by `answer`. */
  private abandonable<T>(
    operation: IamOperation,
    action: string,
    userName: string,
    options: IamCallOptions,
    answer: () => T,
  ): Promise<T> {
    return abandonOnAbort(
      options.signal,
      async () => {
        await this.enter(operation, userName);
        return answer();
      },
      () => abandonedIamCall(action, userName, options.signal ?? AbortSignal.abort()),
    );
  }

  /**
   * Awaits beforeCall (only when given, so calls without it behave as they always did), records the
   * call, then throws the first matching failure rule that still has calls left.
   */
  private async enter(operation: IamOperation, userName?: string): Promise<void> {
    const { beforeCall } = this.options;
    if (beforeCall !== undefined) await beforeCall(operation, userName);
    this.callLog.push(userName === undefined ? { operation } : { operation, userName });
    const rule = this.failures.find(
      (candidate) =>
        candidate.operation === operation &&
        candidate.remaining !== 0 &&
        (candidate.userName === undefined ||
          (userName !== undefined && nameKey(candidate.userName) === nameKey(userName))),
    );
    if (rule === undefined) return;
    if (rule.remaining !== undefined) rule.remaining -= 1;
    throw rule.error;
  }

  private existingUser(userName: string, action: string): UserState {
    const state = this.users.get(nameKey(userName));
    if (state !== undefined) return state;
    throw new AppError(
      'iam_no_such_entity',
      `IAM ${action}: user '${userName}' does not exist in account ${this.options.account.accountId}.`,
      { hint: 'The user may have been deleted while the scan was running; the next scan will not see it.' },
    );
  }

  private requireUser(userName: string, helper: string): UserState {
    const state = this.users.get(nameKey(userName));
    if (state !== undefined) return state;
    throw new AppError('iam_no_such_entity', `In-memory IAM ${helper}: no user '${userName}'.`, {
      hint: 'Add the user first (addUser or the account given to the constructor).',
    });
  }

  private arnOf(user: MemoryUser): string {
    const { partition, accountId } = this.options.account;
    return userArn(partition, accountId, user.userName, user.path ?? '/');
  }

  private toIamUser(user: MemoryUser): IamUser {
    return {
      userName: user.userName,
      userId: user.userId,
      arn: this.arnOf(user),
      path: user.path ?? '/',
      createDate: toIamTime(user.createDate),
      passwordLastUsed: user.passwordLastUsed ? toIamTime(user.passwordLastUsed) : null,
    };
  }

  private buildReport(): CredentialReport {
    const { account, reportSnapshot, extraReportLines } = this.options;
    const generatedAt = toIamTime(reportSnapshot?.generatedAt ?? this.options.clock());
    const rows: ReportUserRow[] =
      reportSnapshot === undefined
        ? [...this.users.values()].map((state) => this.reportRow(state.user, state.loginProfileCreatedAt))
        : reportSnapshot.users.map((user) => this.reportRow(user, user.loginProfile ? user.createDate : null));
    const oldest = [...(reportSnapshot?.users ?? account.users)]
      .map((user) => user.createDate.getTime())
      .reduce((min, time) => Math.min(min, time), generatedAt.getTime());
    const content = renderCredentialReport(
      {
        arn: `arn:${account.partition}:iam::${account.accountId}:root`,
        createdAt: account.rootCreateDate ?? new Date(oldest),
        passwordLastUsed: account.rootPasswordLastUsed ?? null,
        mfaActive: account.rootMfaActive,
      },
      rows,
      extraReportLines,
    );
    return { content, generatedAt };
  }

  private reportRow(user: MemoryUser, loginProfileCreatedAt: Date | null): ReportUserRow {
    return {
      userName: user.userName,
      arn: this.arnOf(user),
      createdAt: user.createDate,
      passwordEnabled: user.loginProfile,
      passwordLastUsed: user.passwordLastUsed ?? null,
      passwordLastChanged: loginProfileCreatedAt,
      mfaActive: user.mfaDevices.length > 0,
    };
  }
}
