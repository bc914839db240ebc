import { readScanConfig } from '../../src/config/scan-config';
import { AppError } from '../../src/errors';

const problemsOf = (env: Record<string, string>): string => {
  try {
    readScanConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  throw new Error('expected readScanConfig to fail');
};

describe('readScanConfig', () => {
  it('has safe defaults for everything and needs no Slack setting', () => {
    const config = readScanConfig({});
    expect(config).toEqual({
      aws: { region: 'us-east-1', iamEndpoint: undefined, stsEndpoint: undefined, maxAttempts: 5 },
      databasePath: './data/mfa-guard.db',
      ownersFilePath: undefined,
      ownerTagKeys: ['slack-owner', 'owner-email', 'email', 'owner'],
      exemptTagKey: 'mfa-exempt',
      gracePeriodHours: 24,
      findingReopenWindowDays: 7,
      concurrency: 8,
      accountConcurrency: 4,
      reportTimeoutMs: 120_000,
      leaseTtlMs: 900_000,
      logLevel: 'info',
    });
  });

  it('reads every setting', () => {
    const config = readScanConfig({
      AWS_REGION: 'us-gov-west-1',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_STS: 'https://sts.example.test',
      AWS_MAX_ATTEMPTS: '3',
      DATABASE_PATH: ':memory:',
      OWNERS_FILE: './owners.yml',
      OWNER_TAG_KEYS: ' owner , team-email ',
      EXEMPT_TAG_KEY: 'security:mfa-exempt',
      GRACE_PERIOD_HOURS: '1.5',
      FINDING_REOPEN_WINDOW_DAYS: '14',
      SCAN_CONCURRENCY: '16',
      CREDENTIAL_REPORT_TIMEOUT_SECONDS: '30',
      SCAN_LEASE_TTL_SECONDS: '600',
      LOG_LEVEL: 'DEBUG',
      SLACK_BOT_TOKEN: '',
    });
    expect(config).toMatchObject({
      aws: {
        region: 'us-gov-west-1',
        iamEndpoint: 'http://127.0.0.1:4566',
        stsEndpoint: 'https://sts.example.test',
        maxAttempts: 3,
      },
      databasePath: ':memory:',
      ownersFilePath: './owners.yml',
      ownerTagKeys: ['owner', 'team-email'],
      exemptTagKey: 'security:mfa-exempt',
      gracePeriodHours: 1.5,
      findingReopenWindowDays: 14,
      concurrency: 16,
      reportTimeoutMs: 30_000,
      leaseTtlMs: 600_000,
      logLevel: 'debug',
    });
  });

  it('reports every problem in one message, with an example each, and never echoes a value', () => {
    const message = problemsOf({
      AWS_REGION: 'moon-base',
      AWS_ENDPOINT_URL_IAM: 'ftp://secret-value-123',
      AWS_MAX_ATTEMPTS: '0',
      SCAN_CONCURRENCY: 'lots',
      GRACE_PERIOD_HOURS: '-1',
      CREDENTIAL_REPORT_TIMEOUT_SECONDS: '99999',
      LOG_LEVEL: 'loud',
      OWNER_TAG_KEYS: ',,',
    });
    expect(message).toMatch(/8 settings are invalid/);
    for (const variable of [
      'AWS_REGION',
      'AWS_ENDPOINT_URL_IAM',
      'AWS_MAX_ATTEMPTS',
      'SCAN_CONCURRENCY',
      'GRACE_PERIOD_HOURS',
      'CREDENTIAL_REPORT_TIMEOUT_SECONDS',
      'LOG_LEVEL',
      'OWNER_TAG_KEYS',
    ]) {
      expect(message).toContain(`  - ${variable} `);
    }
    expect(message).toContain('for example AWS_REGION=us-east-1');
    expect(message).not.toContain('secret-value-123');
    expect(message).not.toContain('moon-base');
  });

  it.each([
    ['0', 0],
    ['365', 365],
  ])('FINDING_REOPEN_WINDOW_DAYS=%s is accepted (0 turns finding chains off)', (value, days) => {
    expect(readScanConfig({ FINDING_REOPEN_WINDOW_DAYS: value }).findingReopenWindowDays).toBe(days);
  });

  it.each(['-1', '366', '1.5', 'week'])('FINDING_REOPEN_WINDOW_DAYS=%s is refused', (value) => {
    expect(problemsOf({ FINDING_REOPEN_WINDOW_DAYS: value })).toContain('  - FINDING_REOPEN_WINDOW_DAYS ');
  });

  it('throws a config_invalid AppError', () => {
    expect(() => readScanConfig({ SCAN_CONCURRENCY: '0' })).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});
