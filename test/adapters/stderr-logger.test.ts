import { createStderrLogger } from '../../src/adapters/stderr-logger';

describe('createStderrLogger', () => {
  const at = () => new Date('2026-11-28T14:00:00Z');

  it('writes one line per message at or above the level', () => {
    const lines: string[] = [];
    const logger = createStderrLogger('info', (line) => lines.push(line), at);
    logger.debug('hidden');
    logger.info('scan started', { accountId: '111122223333', users: 3 });
    logger.error('boom', { reason: 'has spaces' });
    expect(lines).toEqual([
      '2026-11-28T14:00:00.000Z info  scan started accountId=111122223333 users=3\n',
      '2026-11-28T14:00:00.000Z error boom reason="has spaces"\n',
    ]);
  });

  it.each(['token', 'botToken', 'signingSecret', 'AWS_SECRET_ACCESS_KEY', 'accessKeyId', 'password', 'sessionToken'])(
    'never prints a field named %s',
    (key) => {
      const lines: string[] = [];
      createStderrLogger('debug', (line) => lines.push(line), at).info('x', { [key]: 'xoxb-very-secret' });
      expect(lines.join('')).not.toContain('xoxb-very-secret');
      expect(lines.join('')).toContain(`${key}=[redacted]`);
    },
  );

  it('escapes control characters so logged values cannot drive the terminal', () => {
    const lines: string[] = [];
    createStderrLogger('info', (line) => lines.push(line), at).warn('x', { reason: '\u001b[2Jgone' });
    expect(lines[0]).toBe('2026-11-28T14:00:00.000Z warn  x reason="\\u001b[2Jgone"\n');
  });
});
