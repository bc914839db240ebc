import { validate as isValidCron, validateDetailed } from 'node-cron';

import { AppError } from '../errors';
import type { SlackConnection } from '../slack/bolt-app';
import { type Env, EnvReader, formatProblems, isHttpUrl } from './env-reader';
import { readScanSettings, type ScanConfig } from './scan-config';

/**
 * How the bot reaches Slack: Socket Mode with its app token, or HTTP on `port` with signed requests.
 * One or the other, so a bot can never be configured to take unsigned requests.
 */
export type SlackSettings = SlackConnection & {
  readonly botToken: string;
  /** Base of every Web API call, ending in `/`. */
  readonly apiUrl: string;
};

/** Everything `npm start` needs: the scan settings plus the Slack bot's own. */
export interface BotConfig {
  readonly scan: ScanConfig;
  readonly slack: SlackSettings;
  readonly port: number;
  readonly securityChannel: string;
  readonly schedule: { readonly expression: string; readonly timezone: string };
  readonly scanOnStart: boolean;
  readonly nudgeIntervalHours: number;
  readonly escalateAfterDays: number;
  readonly summaryWhen: 'always' | 'changes';
  readonly shutdownTimeoutMs: number;
  readonly removalEnabled: boolean;
  /** Slack user IDs who may approve removals, see account-wide status and start scans. */
  readonly approvers: readonly string[];
  /** Where removal requests are posted for approval; SECURITY_CHANNEL unless set. */
  readonly approvalChannel: string;
  readonly removalRequestTtlHours: number;
  readonly allowSelfApproval: boolean;
  /** Live IAM checks one Slack user may start per minute (approvers: only the total applies). */
  readonly liveChecksPerUserPerMinute: number;
  /** Live IAM checks everyone together may start per minute: the scans share the IAM request rate. */
  readonly liveChecksPerMinute: number;
}

export const DEFAULT_SCAN_SCHEDULE = '0 14 * * 1-5';
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
// Same shape as a Slack-ID owner in the owners file (owner-value.ts).
const SLACK_USER_ID = /^[UW][A-Z0-9]{6,}$/;
const CRON_FIELDS = 'minute hour day-of-month month day-of-week';

/**
 * Reads the scan and the bot settings with one reader, so a person fixing the environment sees
 * every problem of both at once. Problems name the variable, never its value: several are secrets.
 */
export const readBotConfig = (env: Env = process.env): BotConfig => {
  const reader = new EnvReader(env);
  const scan = readScanSettings(reader);
  const slack = readSlackSettings(reader);
  const securityChannel = reader.requiredString(
    'SECURITY_CHANNEL',
    {
      problem:
        "is required: the channel that gets the scan summaries, as a channel ID, not a #name — find it in the channel's details",
      example: 'SECURITY_CHANNEL=C0123456789',
    },
    {
      test: (v) => CHANNEL_ID.test(v),
      problem:
        "must be a channel ID like C0123456789, not a #name — find it in the channel's details (at the bottom of the About tab)",
    },
  );
  const removalEnabled = reader.boolean('REMOVAL_ENABLED', true);
  const approvers = reader.list('APPROVERS', [], {
    test: (v) => SLACK_USER_ID.test(v),
    problem:
      "must be a comma-separated list of Slack user IDs like U0123ABCD (a person's profile → ⋯ → Copy member ID), not @names",
    example: 'APPROVERS=U0123ABCD,U0456EFGH',
  });
  // Removal without anyone to approve it would only pile up requests nobody can act on.
  if (removalEnabled && reader.optionalString('APPROVERS') === undefined) {
    reader.fail(
      'APPROVERS',
      'is required while REMOVAL_ENABLED is true: the Slack user IDs who may approve removing a console password (or set REMOVAL_ENABLED=false for a notify-only bot)',
      'APPROVERS=U0123ABCD,U0456EFGH',
    );
  }
  const config: BotConfig = {
    scan,
    slack,
    port: reader.integer('PORT', 3000, 1, 65_535),
    securityChannel,
    schedule: {
      expression: readSchedule(reader),
      timezone: reader.string('SCAN_TIMEZONE', 'UTC', {
        test: isTimeZone,
        problem: 'must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
        example: 'SCAN_TIMEZONE=UTC',
      }),
    },
    scanOnStart: reader.boolean('SCAN_ON_START', false),
    nudgeIntervalHours: reader.integer('NUDGE_INTERVAL_HOURS', 24, 1, 720),
    escalateAfterDays: reader.integer('ESCALATE_AFTER_DAYS', 7, 1, 365),
    summaryWhen: reader.oneOf('SUMMARY_WHEN', ['always', 'changes'] as const, 'changes'),
    shutdownTimeoutMs: reader.integer('SHUTDOWN_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
    removalEnabled,
    approvers,
    approvalChannel:
      reader.optionalString('APPROVAL_CHANNEL', {
        test: (v) => CHANNEL_ID.test(v),
        problem: 'must be a channel ID like C0123456789, not a #name; leave it unset to use SECURITY_CHANNEL',
        example: 'APPROVAL_CHANNEL=C0123456789',
      }) ?? securityChannel,
    removalRequestTtlHours: reader.integer('REMOVAL_REQUEST_TTL_HOURS', 72, 1, 720),
    allowSelfApproval: reader.boolean('ALLOW_SELF_APPROVAL', false),
    liveChecksPerUserPerMinute: reader.integer('LIVE_CHECKS_PER_USER_PER_MINUTE', 10, 1, 600),
    liveChecksPerMinute: reader.integer('LIVE_CHECKS_PER_MINUTE', 60, 1, 6000),
  };
  // A per-person limit above the total would never apply, which is surely not what was meant.
  const limitsRead = !reader.problems.some((p) => p.variable.startsWith('LIVE_CHECKS_'));
  if (limitsRead && config.liveChecksPerUserPerMinute > config.liveChecksPerMinute) {
    reader.fail(
      'LIVE_CHECKS_PER_USER_PER_MINUTE',
      'must not be more than LIVE_CHECKS_PER_MINUTE (the limit for everyone together)',
      'LIVE_CHECKS_PER_USER_PER_MINUTE=10',
    );
  }
  if (reader.problems.length > 0) {
    throw new AppError('config_invalid', formatProblems(reader.problems));
  }
  return config;
};

const readSlackSettings = (reader: EnvReader): BotConfig['slack'] => {
  const botToken = reader.requiredString(
    'SLACK_BOT_TOKEN',
    {
      problem: "is required: the app's Bot User OAuth Token (Slack app settings → OAuth & Permissions)",
      example: 'SLACK_BOT_TOKEN=xoxb-your-bot-token',
    },
    {
      test: (v) => v.startsWith('xoxb-'),
      problem:
        'must be a bot token starting with xoxb- (Slack app settings → OAuth & Permissions → Bot User OAuth Token)',
    },
  );
  // Mode follows the presence of SLACK_APP_TOKEN, even a malformed one: whoever set it meant Socket
  // Mode, so asking them for a signing secret as well would only add a misleading problem.
  const appTokenSet = reader.optionalString('SLACK_APP_TOKEN') !== undefined;
  const appToken = reader.optionalString('SLACK_APP_TOKEN', {
    test: (v) => v.startsWith('xapp-'),
    problem:
      'must be an app-level token starting with xapp- (Slack app settings → Basic Information → App-Level Tokens, scope connections:write); leave it unset to use HTTP mode',
    example: 'SLACK_APP_TOKEN=xapp-your-app-token',
  });
  const signingSecret = appTokenSet
    ? undefined
    : reader.requiredString('SLACK_SIGNING_SECRET', {
        problem:
          'is required in HTTP mode, which is used because SLACK_APP_TOKEN is not set: copy the Signing Secret from Slack app settings → Basic Information → App Credentials, or set SLACK_APP_TOKEN to use Socket Mode',
        example: 'SLACK_SIGNING_SECRET=your-signing-secret',
      });
  const apiUrl = reader.string('SLACK_API_URL', DEFAULT_SLACK_API_URL, {
    test: isHttpUrl,
    problem: 'must be an http:// or https:// URL',
    example: `SLACK_API_URL=${DEFAULT_SLACK_API_URL}`,
  });
  // Checked apart from the URL test so that the person is told exactly what is missing.
  if (isHttpUrl(apiUrl) && !apiUrl.endsWith('/')) {
    reader.fail(
      'SLACK_API_URL',
      'must end in / (Web API method names such as chat.postMessage are appended to it)',
      `SLACK_API_URL=${DEFAULT_SLACK_API_URL}`,
    );
  }
  // A missing or malformed token or secret is already a problem, so the empty string never runs.
  return appTokenSet
    ? { mode: 'socket', appToken: appToken ?? '', botToken, apiUrl }
    : { mode: 'http', signingSecret: signingSecret ?? '', botToken, apiUrl };
};

const readSchedule = (reader: EnvReader): string => {
  const example = `SCAN_SCHEDULE=${DEFAULT_SCAN_SCHEDULE}`;
  const expression = reader.string('SCAN_SCHEDULE', DEFAULT_SCAN_SCHEDULE);
  const fields = expression.split(/\s+/);
  if (fields.length === 6) {
    reader.fail(
      'SCAN_SCHEDULE',
      `has six fields, and a seconds field is not accepted: use five (${CRON_FIELDS})`,
      example,
    );
    return DEFAULT_SCAN_SCHEDULE;
  }
  if (fields.length !== 5) {
    reader.fail('SCAN_SCHEDULE', `must be a cron expression of exactly five fields (${CRON_FIELDS})`, example);
    return DEFAULT_SCAN_SCHEDULE;
  }
  if (!isValidCron(expression)) {
    // Name the field at fault, not its value: problems never echo values.
    const field = validateDetailed(expression).errors[0]?.field;
    const where =
      field === undefined || field === 'expression' ? '' : ` (the ${field} field is out of range or malformed)`;
    reader.fail('SCAN_SCHEDULE', `is not a valid cron expression${where}: use five fields (${CRON_FIELDS})`, example);
    return DEFAULT_SCAN_SCHEDULE;
  }
  return expression;
};

/** node-cron accepts any string as a zone and fails only when it computes a run, so check here. */
export const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
};
