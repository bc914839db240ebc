/**
 * Sorts whatever the AWS SDK threw into the few kinds mfa-guard reacts to differently. The SDK
 * names modelled errors after their class (NoSuchEntityException) and unmodelled ones after the
 * wire code (AccessDenied, Throttling), so both spellings are listed.
 */
export type AwsErrorKind =
  | 'access_denied'
  | 'credentials'
  | 'throttled'
  | 'limit_exceeded'
  /** IAM is still applying an earlier change to the entity; the same call is likely to work later. */
  | 'temporarily_unmodifiable'
  | 'service_failure'
  | 'no_such_entity'
  | 'invalid_request'
  | 'report_not_present'
  | 'report_expired'
  | 'report_not_ready'
  | 'network'
  | 'unknown';

/** Node socket / DNS error codes that mean "could not talk to AWS at all". */
const NODE_NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
] as const;

const KIND_BY_CODE: ReadonlyMap<string, AwsErrorKind> = new Map<string, AwsErrorKind>([
  ...NODE_NETWORK_CODES.map((code): [string, AwsErrorKind] => [code, 'network']),
  ...Object.entries({
    AccessDenied: 'access_denied',
    AccessDeniedException: 'access_denied',
    UnauthorizedOperation: 'access_denied',

    CredentialsProviderError: 'credentials',
    ExpiredToken: 'credentials',
    ExpiredTokenException: 'credentials',
    InvalidClientTokenId: 'credentials',
    SignatureDoesNotMatch: 'credentials',
    UnrecognizedClientException: 'credentials',
    InvalidAccessKeyId: 'credentials',
    MissingAuthenticationToken: 'credentials',
    IncompleteSignature: 'credentials',

    Throttling: 'throttled',
    ThrottlingException: 'throttled',
    RequestLimitExceeded: 'throttled',
    TooManyRequestsException: 'throttled',

    LimitExceeded: 'limit_exceeded',
    LimitExceededException: 'limit_exceeded',
    ReportGenerationLimitExceeded: 'limit_exceeded',
    ReportGenerationLimitExceededException: 'limit_exceeded',

    EntityTemporarilyUnmodifiable: 'temporarily_unmodifiable',
    EntityTemporarilyUnmodifiableException: 'temporarily_unmodifiable',

    ServiceFailure: 'service_failure',
    ServiceFailureException: 'service_failure',
    InternalFailure: 'service_failure',
    ServiceUnavailable: 'service_failure',

    NoSuchEntity: 'no_such_entity',
    NoSuchEntityException: 'no_such_entity',

    InvalidInput: 'invalid_request',
    InvalidInputException: 'invalid_request',
    ValidationError: 'invalid_request',
    ValidationException: 'invalid_request',

    ReportNotPresent: 'report_not_present',
    CredentialReportNotPresentException: 'report_not_present',
    ReportExpired: 'report_expired',
    CredentialReportExpiredException: 'report_expired',
    ReportInProgress: 'report_not_ready',
    CredentialReportNotReadyException: 'report_not_ready',

    TimeoutError: 'network',
    RequestTimeout: 'network',
    RequestTimeoutException: 'network',
  } satisfies Record<string, AwsErrorKind>),
]);

const NETWORK_CODE_IN_TEXT = new RegExp(`\\b(?:${NODE_NETWORK_CODES.join('|')})\\b`);

export interface ClassifiedAwsError {
  readonly kind: AwsErrorKind;
  /** The AWS error code or Node error code, for messages; 'UnknownError' when there is none. */
  readonly code: string;
  /** AWS's (or Node's) own message text, untrimmed; '' when there is none. */
  readonly awsMessage: string;
}

const stringField = (value: object, key: string): string | undefined => {
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' && field !== '' ? field : undefined;
};

/** Candidate codes in order of preference: SDK name, XML <Code>, Node system-error code. */
const candidateCodes = (error: object): string[] =>
  [stringField(error, 'name'), stringField(error, 'Code'), stringField(error, 'code')].filter(
    (code): code is string => code !== undefined,
  );

export const classifyAwsError = (error: unknown): ClassifiedAwsError => {
  if (typeof error !== 'object' || error === null) {
    // A primitive (a thrown string or number): its own text is the message.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return { kind: 'unknown', code: 'UnknownError', awsMessage: error === undefined ? '' : String(error) };
  }
  const codes = candidateCodes(error);
  const awsMessage = stringField(error, 'message') ?? '';
  for (const code of codes) {
    const kind = KIND_BY_CODE.get(code);
    if (kind !== undefined) return { kind, code, awsMessage };
  }
  // The SDK's retry layer replaces thrown values that fail `instanceof Error` (e.g. from another
  // realm, as under Jest) with "AWS SDK error wrapper for Error: connect ECONNREFUSED ...", which
  // drops `code`; the Node code is then only in the text.
  const networkCode = NETWORK_CODE_IN_TEXT.exec(awsMessage)?.[0];
  if (networkCode !== undefined) return { kind: 'network', code: networkCode, awsMessage };
  // A plain Error/AggregateError's name says nothing; prefer a more specific code if present.
  const code = codes.find((c) => c !== 'Error' && c !== 'AggregateError') ?? codes[0] ?? 'UnknownError';
  return { kind: 'unknown', code, awsMessage };
};
