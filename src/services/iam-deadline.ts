import type { Clock } from '../ports/clock';
import type { IamCallOptions, IamGateway } from '../ports/iam';

/**
 * How long one IAM call of a removal may take before it is given up: well below
 * CLAIM_STALE_AFTER_MS, so a call stuck on a dead connection (the SDK alone allows 120 s per
 * attempt, times its retries) cannot keep a claim busy for long.
 */
export const IAM_CALL_DEADLINE_MS = 30_000;

/**
 * The same IAM, but every call a removal makes (GetUser, GetLoginProfile, ListMFADevices,
 * ListUserTags, DeleteLoginProfile) is abandoned `ms` after it starts, by `clock`, with an
 * `iam_timeout` AppError. The other calls pass through unchanged.
 */
export const withDeadlines = (iam: IamGateway, clock: Clock, ms: number = IAM_CALL_DEADLINE_MS): IamGateway => {
  const timed = <T>(call: (options: IamCallOptions) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    const cancel = clock.after(ms, () => controller.abort(new Error(`no answer within ${ms / 1000} seconds`)));
    return call({ signal: controller.signal }).finally(cancel);
  };
  return {
    getCallerIdentity: () => iam.getCallerIdentity(),
    generateCredentialReport: () => iam.generateCredentialReport(),
    getCredentialReport: () => iam.getCredentialReport(),
    listUsers: () => iam.listUsers(),
    getAccountSummary: () => iam.getAccountSummary(),
    listAccountAliases: () => iam.listAccountAliases(),
    getUser: (userName) => timed((options) => iam.getUser(userName, options)),
    getLoginProfile: (userName) => timed((options) => iam.getLoginProfile(userName, options)),
    listMfaDevices: (userName) => timed((options) => iam.listMfaDevices(userName, options)),
    listUserTags: (userName) => timed((options) => iam.listUserTags(userName, options)),
    deleteLoginProfile: (userName) => timed((options) => iam.deleteLoginProfile(userName, options)),
  };
};
