import { AppError } from '../errors';
import { type Env, EnvReader, formatProblems } from './env-reader';

/** The settings a scan uses. Slack settings are not read here: the scan never needs them. */
export interface ScanConfig {
  readonly aws: {
    readonly region: string;
    readonly iamEndpoint: string | undefined;
    readonly stsEndpoint: string | undefined;
    readonly maxAttempts: number;
  };
  readonly databasePath: string;
  readonly ownersFilePath: string | undefined;
  readonly ownerTagKeys: readonly string[];
  readonly exemptTagKey: string;
  readonly gracePeriodHours: number;
  /** A finding opened this soon after the user's last one closed as fixed continues its chain; 0 = never. */
  readonly findingReopenWindowDays: number;
  readonly concurrency: number;
  /** ACCOUNT_CONCURRENCY: accounts scanned at a time. */
  readonly accountConcurrency: number;
  readonly reportTimeoutMs: number;
  readonly leaseTtlMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export const DEFAULT_OWNER_TAG_KEYS = ['slack-owner', 'owner-email', 'email', 'owner'] as const;

// IAM tag keys: letters, digits, spaces and _.:/=+-@, up to 128 characters.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Reads the scan settings into `reader`, which collects the problems instead of throwing, so that
 * the bot can read its own settings with the same reader and report every problem in one message.
 * The result is only meaningful when `reader.problems` is empty.
 */
export const readScanSettings = (reader: EnvReader): ScanConfig => ({
  aws: {
    region: reader.string('AWS_REGION', 'us-east-1', {
      test: (v) => REGION.test(v),
      problem: 'must be an AWS region name',
      example: 'AWS_REGION=us-east-1',
    }),
    iamEndpoint: reader.url('AWS_ENDPOINT_URL_IAM'),
    stsEndpoint: reader.url('AWS_ENDPOINT_URL_STS'),
    maxAttempts: reader.integer('AWS_MAX_ATTEMPTS', 5, 1, 20),
  },
  databasePath: reader.string('DATABASE_PATH', './data/mfa-guard.db'),
  ownersFilePath: reader.optionalString('OWNERS_FILE'),
  ownerTagKeys: reader.list('OWNER_TAG_KEYS', DEFAULT_OWNER_TAG_KEYS, {
    test: (v) => TAG_KEY.test(v),
    problem: 'must be a comma-separated list of IAM tag keys',
    example: `OWNER_TAG_KEYS=${DEFAULT_OWNER_TAG_KEYS.join(',')}`,
  }),
  exemptTagKey: reader.string('EXEMPT_TAG_KEY', 'mfa-exempt', {
    test: (v) => TAG_KEY.test(v),
    problem: 'must be an IAM tag key (letters, digits, spaces and _.:/=+-@, at most 128)',
    example: 'EXEMPT_TAG_KEY=mfa-exempt',
  }),
  gracePeriodHours: reader.number('GRACE_PERIOD_HOURS', 24, 0, 8760),
  findingReopenWindowDays: reader.integer('FINDING_REOPEN_WINDOW_DAYS', 7, 0, 365),
  concurrency: reader.integer('SCAN_CONCURRENCY', 8, 1, 64),
  accountConcurrency: reader.integer('ACCOUNT_CONCURRENCY', 4, 1, 64),
  reportTimeoutMs: reader.integer('CREDENTIAL_REPORT_TIMEOUT_SECONDS', 120, 1, 3600) * 1000,
  leaseTtlMs: reader.integer('SCAN_LEASE_TTL_SECONDS', 900, 60, 86_400) * 1000,
  logLevel: reader.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
});

export const readScanConfig = (env: Env = process.env): ScanConfig => {
  const reader = new EnvReader(env);
  const config = readScanSettings(reader);
  if (reader.problems.length > 0) {
    throw new AppError('config_invalid', formatProblems(reader.problems));
  }
  return config;
};
