import { AppError, type AppErrorCode, isAppError } from '../../errors';
import { abandonedIamCall, abandonOnAbort } from '../abandoned-call';
import { sanitizeAwsMessage } from './aws-message';
import { type AwsErrorKind, classifyAwsError } from './error-classification';

/** What was being attempted, so that every message names the IAM/STS action and the user. */
export interface AwsCallContext {
  /** The IAM policy action, e.g. `iam:GetLoginProfile` or `sts:GetCallerIdentity`. */
  readonly action: string;
  readonly userName?: string | undefined;
}

const CODE_BY_KIND: Readonly<Record<AwsErrorKind, AppErrorCode>> = {
  access_denied: 'iam_access_denied',
  credentials: 'iam_access_denied',
  throttled: 'iam_throttled',
  limit_exceeded: 'iam_limit_exceeded',
  // Same remedy as throttling (the call works if made again later), and retryWhenThrottled already
  // treats iam_throttled that way; the message and hint say what really happened.
  temporarily_unmodifiable: 'iam_throttled',
  service_failure: 'iam_service_failure',
  no_such_entity: 'iam_no_such_entity',
  invalid_request: 'iam_invalid_request',
  report_not_present: 'iam_report_not_present',
  report_expired: 'iam_report_expired',
  report_not_ready: 'iam_report_not_ready',
  network: 'iam_unexpected',
  unknown: 'iam_unexpected',
};

const forUser = (context: AwsCallContext): string =>
  context.userName === undefined ? '' : ` for user ${context.userName}`;

const endpointVariable = (action: string): string =>
  action.startsWith('sts:')
    ? 'AWS_ENDPOINT_URL_STS'
    : action.startsWith('organizations:')
      ? 'AWS_ENDPOINT_URL_ORGANIZATIONS'
      : 'AWS_ENDPOINT_URL_IAM';

// The README's removal policy denies iam:DeleteLoginProfile on users carrying the exemption tag, so
// a denial there may be that guard working (the user was exempted after the removal was requested).
const accessDeniedHint = (action: string): string => {
  const grant = `Grant ${action} to the identity mfa-guard runs as (see the IAM policy in the README).`;
  return action === 'iam:DeleteLoginProfile'
    ? `${grant} The README's policy also denies it for users tagged with the exemption tag (mfa-exempt unless ` +
        'EXEMPT_TAG_KEY says otherwise): if this user carries that tag, the refusal is on purpose.'
    : grant;
};

const limitExceededHint = (action: string): string =>
  action === 'iam:GenerateCredentialReport'
    ? 'IAM limits how often a credential report can be generated; wait a few minutes and retry.'
    : 'The error text says which IAM account limit was reached; wait a few minutes and retry, or raise the limit.';

const describe = (kind: AwsErrorKind, context: AwsCallContext, code: string): { message: string; hint: string } => {
  const { action } = context;
  const target = `${action}${forUser(context)}`;
  switch (kind) {
    case 'access_denied':
      return {
        message: `AWS denied ${target} (${code}).`,
        hint: accessDeniedHint(action),
      };
    case 'credentials':
      return {
        message: `AWS did not accept the credentials mfa-guard used for ${target} (${code}).`,
        hint:
          'Check the AWS credential chain mfa-guard runs with: AWS_PROFILE (run `aws sso login` for SSO profiles), ' +
          'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or the instance / task role. ' +
          'Temporary credentials may have expired, and the system clock must be correct.',
      };
    case 'throttled':
      return {
        message: `AWS kept throttling ${target} (${code}) after all retries.`,
        hint: 'IAM limits request rates per account; retry later or run fewer scans at the same time.',
      };
    case 'limit_exceeded':
      return {
        message: `AWS refused ${target} because an IAM limit was reached (${code}).`,
        hint: limitExceededHint(action),
      };
    case 'temporarily_unmodifiable':
      return {
        message: `IAM refused ${target} for now: the entity is temporarily unmodifiable (${code}).`,
        hint:
          'IAM is still applying an earlier change to this user (for example its console password was just set ' +
          'or changed, or the user was deleted and recreated); retry in a few minutes.',
      };
    case 'service_failure':
      return {
        message: `IAM failed internally while handling ${target} (${code}).`,
        hint: 'This is on the AWS side; retry later and check the AWS Health Dashboard if it persists.',
      };
    case 'no_such_entity':
      return {
        message: `IAM has no such entity for ${target} (${code}).`,
        hint: 'The user was probably deleted while mfa-guard was scanning; the next scan will not see it.',
      };
    case 'invalid_request':
      return {
        message: `IAM rejected ${target} as invalid (${code}).`,
        hint: 'This is likely a bug in mfa-guard; please report it together with this message.',
      };
    case 'report_not_present':
      return {
        message: `IAM has no credential report to return for ${action} (${code}).`,
        hint: 'Generate one with iam:GenerateCredentialReport and fetch it again.',
      };
    case 'report_expired':
      return {
        message: `The IAM credential report has expired (${action}, ${code}).`,
        hint: 'Reports expire 4 hours after generation; generate a new one with iam:GenerateCredentialReport.',
      };
    case 'report_not_ready':
      return {
        message: `The IAM credential report is still being generated (${action}, ${code}).`,
        hint: 'Wait a few seconds and fetch it again.',
      };
    case 'network':
      return {
        message: `mfa-guard could not reach AWS for ${target} (${code}).`,
        hint: `Check network access and proxy settings to AWS, and ${endpointVariable(action)} if it is set.`,
      };
    case 'unknown':
      return {
        message: `AWS call ${target} failed unexpectedly (${code}).`,
        hint: 'Retry; if it keeps happening, report it together with this message.',
      };
  }
};

const isServiceError = (error: unknown): boolean => typeof error === 'object' && error !== null && '$fault' in error;

/**
 * Turns anything an AWS SDK call threw into the one AppError shape. The only place that knows AWS
 * error codes; `cause` keeps the original for debugging.
 */
export const toAppError = (error: unknown, context: AwsCallContext): AppError => {
  if (isAppError(error)) return error;
  const { kind, code, awsMessage } = classifyAwsError(error);
  const { message, hint } = describe(kind, context, code);
  const said = sanitizeAwsMessage(awsMessage);
  // Only service errors carry AWS's words; socket and credential-provider errors are local.
  const label = isServiceError(error) ? 'AWS said' : 'Details';
  const fullMessage = said === '' ? message : `${message} ${label}: "${said}"`;
  return new AppError(CODE_BY_KIND[kind], fullMessage, { hint, cause: error });
};

const TRUST_HINT =
  'The role must exist and its trust policy must trust the identity mfa-guard runs as, with the external id ' +
  'AWS_EXTERNAL_ID gives when the trust policy asks for one; that identity also needs sts:AssumeRole on the role. ' +
  'deploy/member-role.yaml creates such a role (see "Many AWS accounts" in the README).';

/**
 * What a failed sts:AssumeRole into `roleArn` becomes. It surfaces on the account's first IAM or STS
 * call (the SDK resolves credentials then), so the message names the role, not that call.
 */
export const assumeRoleError = (error: unknown, roleArn: string): AppError => {
  if (isAppError(error)) return error;
  const mapped = toAppError(error, { action: 'sts:AssumeRole' });
  const { kind } = classifyAwsError(error);
  return new AppError('iam_assume_role_failed', `mfa-guard could not assume the role ${roleArn}: ${mapped.message}`, {
    hint: kind === 'access_denied' ? TRUST_HINT : (mapped.hint ?? TRUST_HINT),
    cause: error,
  });
};

const ORGANIZATION_HINT =
  'organizations:ListAccounts works only from the management account of the organization or from a delegated ' +
  'administrator account, and the identity mfa-guard runs as needs organizations:ListAccounts there (see ' +
  '"Many AWS accounts" in the README). To scan some accounts without it, list their roles in AWS_ACCOUNTS instead.';

/** What a failed organizations:ListAccounts call becomes: nothing can be scanned without the list. */
export const organizationListError = (error: unknown): AppError => {
  if (isAppError(error)) return error;
  const mapped = toAppError(error, { action: 'organizations:ListAccounts' });
  // Denied, or an Organizations-specific refusal (AWSOrganizationsNotInUseException, say): the
  // usual cause is running from a member account.
  const { kind } = classifyAwsError(error);
  const fromMember = kind === 'access_denied' || kind === 'unknown';
  return new AppError(
    'organization_list_failed',
    `mfa-guard could not list the organization's accounts: ${mapped.message}`,
    { hint: fromMember ? ORGANIZATION_HINT : (mapped.hint ?? ORGANIZATION_HINT), cause: error },
  );
};

/**
 * Runs one AWS call and maps whatever it throws. With a signal, an abort ends the wait at once with
 * an `iam_timeout` AppError, whatever the SDK is doing (a retry's back-off included).
 */
export const callAws = async <T>(context: AwsCallContext, call: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
  const abandoned = (): AppError =>
    // Only reached with a signal that aborted.
    abandonedIamCall(context.action, context.userName, signal ?? AbortSignal.abort());
  try {
    return await abandonOnAbort(signal, call, abandoned);
  } catch (error) {
    // The SDK's own AbortError (the socket was cut) says less than the reason the signal carries.
    if (signal?.aborted === true && !(isAppError(error) && error.code === 'iam_timeout')) throw abandoned();
    throw toAppError(error, context);
  }
};

/** Like callAws, but "does not exist" is an answer (null) rather than an error. */
export const callAwsOrNullIfMissing = async <T>(
  context: AwsCallContext,
  call: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T | null> => {
  try {
    return await callAws(context, call, signal);
  } catch (error) {
    if (isAppError(error) && error.code === 'iam_no_such_entity') return null;
    throw error;
  }
};

/** For responses that lack a field IAM always sends: never guess, fail loudly. */
export const unexpectedResponse = (context: AwsCallContext, what: string): AppError =>
  new AppError(
    'iam_unexpected',
    `AWS returned an unexpected response to ${context.action}${forUser(context)}: ${what}.`,
    {
      hint: 'Retry; if it keeps happening, report it together with this message.',
    },
  );
