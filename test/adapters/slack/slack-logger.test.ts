import { LogLevel } from '@slack/web-api';

import { redactSlackTokens, toSlackLogger } from '../../../src/adapters/slack/slack-logger';
import type { Logger } from '../../../src/ports/logging';

const recorder = () => {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, logger };
};

describe('toSlackLogger', () => {
  it('defaults to info, so Slack debug lines (request bodies) are dropped', () => {
    const { lines, logger } = recorder();
    const slack = toSlackLogger(logger);
    slack.debug('http request body: {...}');
    slack.info('API Call failed due to rate limiting.');
    slack.warn('careful');
    slack.error('broken');
    expect(slack.getLevel()).toBe(LogLevel.INFO);
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'info API Call failed due to rate limiting.',
      'warn careful',
      'error broken',
    ]);
  });

  it.each([
    [LogLevel.DEBUG, ['debug', 'info', 'warn', 'error']],
    [LogLevel.INFO, ['info', 'warn', 'error']],
    [LogLevel.WARN, ['warn', 'error']],
    [LogLevel.ERROR, ['error']],
  ])('at %s passes %j', (level, expected) => {
    const { lines, logger } = recorder();
    const slack = toSlackLogger(logger, LogLevel.ERROR);
    slack.setLevel(level);
    expect(slack.getLevel()).toBe(level);
    slack.debug('d');
    slack.info('i');
    slack.warn('w');
    slack.error('e');
    expect(lines.map((l) => l.level)).toEqual(expected);
  });

  it('joins every argument into one message and names its source', () => {
    const { lines, logger } = recorder();
    const slack = toSlackLogger(logger);
    slack.setName('bolt-app');
    slack.warn('http request failed', new TypeError('fetch failed'), { status: 500 }, 3);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'http request failed TypeError: fetch failed {"status":500} 3',
        fields: { source: 'bolt-app' },
      },
    ]);
  });

  it('survives values JSON cannot print', () => {
    const { lines, logger } = recorder();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    toSlackLogger(logger).error('odd', circular, undefined, 10n);
    expect(lines[0]?.message).toBe('odd [object Object] undefined 10');
  });

  it('never passes a Slack token on', () => {
    const { lines, logger } = recorder();
    toSlackLogger(logger, LogLevel.DEBUG).debug(
      'headers',
      { Authorization: 'Bearer xoxb-123-456-abc' },
      'xapp-1-A1-2-b',
    );
    expect(lines[0]?.message).toBe('headers {"Authorization":"Bearer [redacted token]"} [redacted token]');
  });
});

describe('redactSlackTokens', () => {
  it.each([
    ['xoxb-1-2-abc', '[redacted token]'],
    ['prefix_xoxp-1-2-abc suffix', 'prefix_[redacted token] suffix'],
    ['xoxe.xoxb-1-abc', '[redacted token]'],
    ['xoxe-1-abc', '[redacted token]'],
    ['no token here, xox alone', 'no token here, xox alone'],
  ])('%s → %s', (input, output) => {
    expect(redactSlackTokens(input)).toBe(output);
  });
});
