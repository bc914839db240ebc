import { isTimeZone, readBotConfig } from '../../src/config/bot-config';
import { readScanConfig } from '../../src/config/scan-config';
import { AppError } from '../../src/errors';

const BOT_TOKEN = 'xoxb-1111-2222-secretbottoken';
const APP_TOKEN = 'xapp-1-A111-secretapptoken';
const SIGNING_SECRET = 'secret-signing-0123456789abcdef';

/** The least a bot in HTTP mode needs. */
const HTTP_ENV = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SECURITY_CHANNEL: 'C0123456789',
  APPROVERS: 'U0APPROVER1',
} as const;

const problemsOf = (env: Record<string, string>): string => {
  try {
    readBotConfig(env);
  } catch (error) {
    if (error instanceof AppError && error.code === 'config_invalid') return error.message;
    throw error;
  }
  throw new Error('expected readBotConfig to fail');
};

describe('readBotConfig', () => {
  it('has defaults for every optional setting and includes the scan settings', () => {
    expect(readBotConfig(HTTP_ENV)).toEqual({
      scan: readScanConfig({}),
      slack: {
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        apiUrl: 'https://slack.com/api/',
        mode: 'http',
      },
      port: 3000,
      securityChannel: 'C0123456789',
      schedule: { expression: '0 14 * * 1-5', timezone: 'UTC' },
      scanOnStart: false,
      nudgeIntervalHours: 24,
      escalateAfterDays: 7,
      summaryWhen: 'changes',
      shutdownTimeoutMs: 60_000,
      removalEnabled: true,
      approvers: ['U0APPROVER1'],
      approvalChannel: 'C0123456789',
      removalRequestTtlHours: 72,
      allowSelfApproval: false,
      liveChecksPerUserPerMinute: 10,
      liveChecksPerMinute: 60,
    });
  });

  it('reads every setting', () => {
    const config = readBotConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: 'http://127.0.0.1:8080/api/',
      PORT: '8080',
      SECURITY_CHANNEL: 'G01ABCDEF23',
      SCAN_SCHEDULE: '30 9 * * MON-FRI',
      SCAN_TIMEZONE: 'America/New_York',
      SCAN_ON_START: 'yes',
      NUDGE_INTERVAL_HOURS: '12',
      ESCALATE_AFTER_DAYS: '14',
      SUMMARY_WHEN: 'ALWAYS',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
      REMOVAL_ENABLED: 'false',
      APPROVERS: 'U0APPROVER1, W0APPROVER2',
      APPROVAL_CHANNEL: 'C0APPROVALS1',
      REMOVAL_REQUEST_TTL_HOURS: '24',
      ALLOW_SELF_APPROVAL: 'true',
      LIVE_CHECKS_PER_USER_PER_MINUTE: '3',
      LIVE_CHECKS_PER_MINUTE: '600',
      AWS_REGION: 'eu-west-1',
    });
    expect(config).toEqual({
      scan: expect.objectContaining({ aws: expect.objectContaining({ region: 'eu-west-1' }) }),
      slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: 'http://127.0.0.1:8080/api/', mode: 'socket' },
      port: 8080,
      securityChannel: 'G01ABCDEF23',
      schedule: { expression: '30 9 * * MON-FRI', timezone: 'America/New_York' },
      scanOnStart: true,
      nudgeIntervalHours: 12,
      escalateAfterDays: 14,
      summaryWhen: 'always',
      shutdownTimeoutMs: 5000,
      removalEnabled: false,
      approvers: ['U0APPROVER1', 'W0APPROVER2'],
      approvalChannel: 'C0APPROVALS1',
      removalRequestTtlHours: 24,
      allowSelfApproval: true,
      liveChecksPerUserPerMinute: 3,
      liveChecksPerMinute: 600,
    });
  });

  describe('approvals', () => {
    const base = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SECURITY_CHANNEL: 'C0123456789' };

    it('requires APPROVERS while removal is enabled, and says how to go notify-only', () => {
      const message = problemsOf(base);
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toContain('APPROVERS is required while REMOVAL_ENABLED is true');
      expect(message).toContain('REMOVAL_ENABLED=false');
    });

    it('needs no APPROVERS for a notify-only bot', () => {
      expect(readBotConfig({ ...base, REMOVAL_ENABLED: 'false' })).toMatchObject({
        approvers: [],
        removalEnabled: false,
      });
    });

    it.each([
      ['@alice', 'APPROVERS must be a comma-separated list of Slack user IDs'],
      ['U0APPROVER1,<@U0BOB12345>', 'APPROVERS must be a comma-separated list of Slack user IDs'],
      ['C0123456789', 'APPROVERS must be a comma-separated list of Slack user IDs'],
    ])('APPROVERS=%j is refused: %s', (value, problem) => {
      expect(problemsOf({ ...base, APPROVERS: value })).toContain(problem);
    });

    it.each([
      ['APPROVAL_CHANNEL', '#approvals', 'APPROVAL_CHANNEL must be a channel ID like C0123456789'],
      ['REMOVAL_REQUEST_TTL_HOURS', '0', 'REMOVAL_REQUEST_TTL_HOURS must be a whole number from 1 to 720'],
      ['REMOVAL_REQUEST_TTL_HOURS', '721', 'REMOVAL_REQUEST_TTL_HOURS must be a whole number from 1 to 720'],
    ])('%s=%j is refused: %s', (variable, value, problem) => {
      expect(problemsOf({ ...base, APPROVERS: 'U0APPROVER1', [variable]: value })).toContain(problem);
    });
  });

  describe('live check limits', () => {
    const base = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SECURITY_CHANNEL: 'C0123456789',
      APPROVERS: 'U0APPROVER1',
    };

    it.each([
      ['LIVE_CHECKS_PER_USER_PER_MINUTE', '0', 'must be a whole number from 1 to 600'],
      ['LIVE_CHECKS_PER_USER_PER_MINUTE', '601', 'must be a whole number from 1 to 600'],
      ['LIVE_CHECKS_PER_USER_PER_MINUTE', 'ten', 'must be a whole number from 1 to 600'],
      ['LIVE_CHECKS_PER_MINUTE', '0', 'must be a whole number from 1 to 6000'],
      ['LIVE_CHECKS_PER_MINUTE', '6001', 'must be a whole number from 1 to 6000'],
    ])('%s=%j is refused: %s', (variable, value, problem) => {
      const message = problemsOf({ ...base, [variable]: value });
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toContain(`${variable} ${problem}`);
    });

    it('refuses a per-person limit above the total, which would never apply', () => {
      const message = problemsOf({ ...base, LIVE_CHECKS_PER_USER_PER_MINUTE: '20', LIVE_CHECKS_PER_MINUTE: '10' });
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toContain('LIVE_CHECKS_PER_USER_PER_MINUTE must not be more than LIVE_CHECKS_PER_MINUTE');
    });

    it('says only what is wrong when the total itself is invalid', () => {
      const message = problemsOf({ ...base, LIVE_CHECKS_PER_USER_PER_MINUTE: '100', LIVE_CHECKS_PER_MINUTE: 'x' });
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toContain('LIVE_CHECKS_PER_MINUTE must be a whole number');
    });
  });

  describe('Slack mode', () => {
    it.each([
      ['an app token means Socket Mode, no signing secret needed', { SLACK_APP_TOKEN: APP_TOKEN }, 'socket', undefined],
      [
        'an app token and a signing secret: still Socket Mode, and the secret is not kept',
        { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
        'socket',
        undefined,
      ],
      ['no app token means HTTP mode', { SLACK_SIGNING_SECRET: SIGNING_SECRET }, 'http', SIGNING_SECRET],
      [
        'an empty app token counts as unset',
        { SLACK_APP_TOKEN: '  ', SLACK_SIGNING_SECRET: SIGNING_SECRET },
        'http',
        SIGNING_SECRET,
      ],
    ])('%s', (_name, slackEnv: Record<string, string>, mode, signingSecret) => {
      const config = readBotConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SECURITY_CHANNEL: 'C0123456789',
        APPROVERS: 'U0APPROVER1',
        ...slackEnv,
      });
      expect(config.slack.mode).toBe(mode);
      expect(config.slack.mode === 'http' ? config.slack.signingSecret : undefined).toBe(signingSecret);
      expect(config.slack.mode === 'socket' ? config.slack.appToken : undefined).toBe(
        mode === 'socket' ? APP_TOKEN : undefined,
      );
      // One of the two, never both: a hand-built config cannot carry an unused secret.
      expect(Object.keys(config.slack).sort()).toEqual(
        mode === 'socket'
          ? ['apiUrl', 'appToken', 'botToken', 'mode']
          : ['apiUrl', 'botToken', 'mode', 'signingSecret'],
      );
    });

    it('requires the signing secret in HTTP mode and says why', () => {
      const message = problemsOf({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SECURITY_CHANNEL: 'C0123456789',
        APPROVERS: 'U0APPROVER1',
      });
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toMatch(
        /SLACK_SIGNING_SECRET is required in HTTP mode, which is used because SLACK_APP_TOKEN is not set/,
      );
      expect(message).toContain('or set SLACK_APP_TOKEN to use Socket Mode');
    });

    it('does not ask for a signing secret when a malformed app token shows Socket Mode was meant', () => {
      const message = problemsOf({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SECURITY_CHANNEL: 'C0123456789',
        APPROVERS: 'U0APPROVER1',
        SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      });
      expect(message).toMatch(/1 setting is invalid/);
      expect(message).toContain('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
      expect(message).not.toContain('SLACK_SIGNING_SECRET');
    });
  });

  // Each row: a variable, a bad value, and words the problem must contain.
  it.each([
    ['SLACK_BOT_TOKEN', '', 'is required'],
    ['SLACK_BOT_TOKEN', 'xoxp-user-token-value', 'must be a bot token starting with xoxb-'],
    ['SLACK_BOT_TOKEN', 'xapp-app-token-value', 'must be a bot token starting with xoxb-'],
    ['SLACK_APP_TOKEN', 'xoxb-bot-token-value', 'must be an app-level token starting with xapp-'],
    ['SLACK_API_URL', 'slack.example/api/', 'must be an http:// or https:// URL'],
    ['SLACK_API_URL', 'ftp://slack.example/api/', 'must be an http:// or https:// URL'],
    ['SLACK_API_URL', 'https://slack.example/api', 'must end in /'],
    ['PORT', '0', 'must be a whole number from 1 to 65535'],
    ['PORT', '65536', 'must be a whole number from 1 to 65535'],
    ['PORT', 'http', 'must be a whole number from 1 to 65535'],
    ['SECURITY_CHANNEL', '', "a channel ID, not a #name — find it in the channel's details"],
    [
      'SECURITY_CHANNEL',
      '#security',
      "must be a channel ID like C0123456789, not a #name — find it in the channel's details",
    ],
    ['SECURITY_CHANNEL', 'security', 'must be a channel ID like C0123456789'],
    ['SECURITY_CHANNEL', 'U0123456789', 'must be a channel ID like C0123456789'],
    ['SECURITY_CHANNEL', 'C0999', 'must be a channel ID like C0123456789'],
    ['SECURITY_CHANNEL', 'c0123456789', 'must be a channel ID like C0123456789'],
    ['SCAN_SCHEDULE', '0 0 14 * * 1-5', 'has six fields, and a seconds field is not accepted'],
    ['SCAN_SCHEDULE', '5 9 * *', 'must be a cron expression of exactly five fields'],
    ['SCAN_SCHEDULE', '@daily', 'must be a cron expression of exactly five fields'],
    ['SCAN_SCHEDULE', '0 25 * * 1-5', 'is not a valid cron expression (the hour field'],
    ['SCAN_SCHEDULE', '61 14 * * 1-5', 'is not a valid cron expression (the minute field'],
    ['SCAN_SCHEDULE', 'a b c d e', 'is not a valid cron expression'],
    ['SCAN_TIMEZONE', 'Mars/Olympus_Mons', 'must be an IANA time zone name'],
    ['SCAN_TIMEZONE', '+05:00', 'must be an IANA time zone name'],
    ['SCAN_ON_START', 'sometimes', 'must be true or false'],
    ['NUDGE_INTERVAL_HOURS', '0', 'must be a whole number from 1 to 720'],
    ['NUDGE_INTERVAL_HOURS', '721', 'must be a whole number from 1 to 720'],
    ['NUDGE_INTERVAL_HOURS', '1.5', 'must be a whole number from 1 to 720'],
    ['ESCALATE_AFTER_DAYS', '0', 'must be a whole number from 1 to 365'],
    ['ESCALATE_AFTER_DAYS', '366', 'must be a whole number from 1 to 365'],
    ['SUMMARY_WHEN', 'never', 'must be one of always, changes'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0', 'must be a whole number from 1 to 3600'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '3601', 'must be a whole number from 1 to 3600'],
    ['REMOVAL_ENABLED', 'maybe', 'must be true or false'],
  ])('%s=%j is refused: %s', (variable, value, expected) => {
    const message = problemsOf({ ...HTTP_ENV, [variable]: value });
    expect(message).toMatch(/1 setting is invalid/);
    expect(message).toContain(`  - ${variable} `);
    expect(message).toContain(expected);
    expect(message).toContain(`(for example ${variable}=`);
    // A problem never echoes the value (some are secrets); the bad values are chosen not to occur in any example.
    if (value.length > 3) expect(message).not.toContain(value);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('reads SCAN_ON_START=%s as %s', (value, expected) => {
    expect(readBotConfig({ ...HTTP_ENV, SCAN_ON_START: value }).scanOnStart).toBe(expected);
    expect(readBotConfig({ ...HTTP_ENV, REMOVAL_ENABLED: value }).removalEnabled).toBe(expected);
  });

  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'])('accepts SCAN_TIMEZONE=%s', (zone) => {
    expect(readBotConfig({ ...HTTP_ENV, SCAN_TIMEZONE: zone }).schedule.timezone).toBe(zone);
  });

  it.each(['*/15 * * * *', '0 9,17 * * *', '0 14 * * 1-5', '  0   14 * * 1-5  '])(
    'accepts SCAN_SCHEDULE=%j',
    (expression) => {
      expect(readBotConfig({ ...HTTP_ENV, SCAN_SCHEDULE: expression }).schedule.expression).toBe(expression.trim());
    },
  );

  it('reports every problem of the scan and the bot settings in one message, never echoing a token', () => {
    const message = problemsOf({
      AWS_REGION: 'moon-base-1',
      SLACK_APP_TOKEN: 'xoxb-pasted-into-the-wrong-variable',
      SCAN_TIMEZONE: 'Not/AZone',
      SCAN_SCHEDULE: '*/5 * * * * *',
      SECURITY_CHANNEL: '#security-alerts',
    });
    expect(message).toMatch(/^mfa-guard cannot start: 7 settings are invalid\./);
    for (const variable of [
      'AWS_REGION',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SCAN_TIMEZONE',
      'SCAN_SCHEDULE',
      'SECURITY_CHANNEL',
      'APPROVERS',
    ]) {
      if (variable === 'SLACK_BOT_TOKEN') expect(message).toContain('  - SLACK_BOT_TOKEN is required');
      else expect(message).toContain(`  - ${variable} `);
    }
    for (const value of ['moon-base-1', 'xoxb-pasted-into-the-wrong-variable', 'Not/AZone', '#security-alerts']) {
      expect(message).not.toContain(value);
    }
  });

  it('never puts a well-formed secret in a problem message either', () => {
    const message = problemsOf({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      PORT: 'x',
      APPROVERS: 'U0APPROVER1',
    });
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, 'not-an-app-token-secret']) expect(message).not.toContain(secret);
    expect(message).toMatch(/3 settings are invalid/);
  });
});

describe('isTimeZone', () => {
  it.each([
    ['UTC', true],
    ['utc', true],
    ['Europe/London', true],
    ['Etc/GMT+5', true],
    ['Europe/Atlantis', false],
    ['', false],
    ['GMT+25', false],
  ])('%j → %s', (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected);
  });
});
