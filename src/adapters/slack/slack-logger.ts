import { type Logger as SlackLogger, LogLevel } from '@slack/web-api';

import type { Logger } from '../../ports/logging';

const RANK: Readonly<Record<LogLevel, number>> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

// WebClient already redacts token fields at debug level; this also covers tokens that could reach
// a log line some other way (an error text, a URL), because a leaked bot token is a full compromise.
// No word boundary on purpose: a token glued to other text (`bad_xoxb-…`) must go too.
const TOKEN = /xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

export const redactSlackTokens = (text: string): string => text.replace(TOKEN, '[redacted token]');

const describePart = (part: unknown): string => {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
};

/**
 * @slack/logger's interface over our Logger, so WebClient and Bolt log through the same sink as
 * the rest of mfa-guard. Defaults to info: Slack's debug lines carry request bodies.
 */
export const toSlackLogger = (logger: Logger, level: LogLevel = LogLevel.INFO): SlackLogger => {
  let current = level;
  let name = 'slack';
  const log =
    (at: LogLevel, write: (message: string, fields?: Record<string, unknown>) => void) =>
    (...msg: unknown[]): void => {
      if (RANK[at] < RANK[current]) return;
      write(redactSlackTokens(msg.map(describePart).join(' ')), { source: name });
    };
  return {
    debug: log(LogLevel.DEBUG, (m, f) => logger.debug(m, f)),
    info: log(LogLevel.INFO, (m, f) => logger.info(m, f)),
    warn: log(LogLevel.WARN, (m, f) => logger.warn(m, f)),
    error: log(LogLevel.ERROR, (m, f) => logger.error(m, f)),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
};
