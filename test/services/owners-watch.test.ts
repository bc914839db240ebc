/**
 * An invalid owners file is logged and posted to the security channel once per distinct bad
 * content, whatever reads it (scans, clicks), and again after it was fixed and broke again.
 */
import { EMPTY_OWNERS_FILE } from '../../src/domain/owners';
import type { OwnersSnapshot } from '../../src/domain/owners-snapshot';
import type { PostedMessage } from '../../src/domain/slack-records';
import { AppError } from '../../src/errors';
import type { Logger } from '../../src/ports/logging';
import type { OwnersSource } from '../../src/ports/owners';
import { watchOwners } from '../../src/services/owners-watch';
import type { SlackMessage } from '../../src/slack/blocks/block-kit';
import { limitProblems, unescapedProblems } from '../slack/blocks/limits-check';

const CHANNEL = 'C0SECURITY1';
const GOOD_HASH = 'a'.repeat(64);

const good: OwnersSnapshot = { ownersFile: EMPTY_OWNERS_FILE, hash: GOOD_HASH, problem: null };
const bad = (hash: string | null, message = 'The owners file /etc/owners.yml is not valid YAML'): OwnersSnapshot => ({
  ...good,
  problem: { message, hash },
});

/** A source that answers with whatever the test set last. */
const settable = (): OwnersSource & { now: OwnersSnapshot } => {
  const source = { now: good, current: () => Promise.resolve(source.now) };
  return source;
};

interface LogLine {
  readonly level: string;
  readonly message: string;
}

const recordingLogger = (): Logger & { readonly lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

const recordingSlack = () => {
  const posts: { channel: string; message: SlackMessage }[] = [];
  let failures = 0;
  return {
    posts,
    failNext: (n: number) => {
      failures = n;
    },
    postMessage: (channel: string, message: SlackMessage): Promise<PostedMessage> => {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new AppError('slack_request_failed', 'Slack did not answer'));
      }
      posts.push({ channel, message });
      return Promise.resolve({ channel, ts: `1700000000.00010${posts.length}` });
    },
  };
};

const setup = () => {
  const source = settable();
  const logger = recordingLogger();
  const slack = recordingSlack();
  const owners = watchOwners(source, { logger, post: { slack, channel: CHANNEL } });
  const errors = () => logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
  return { source, logger, slack, owners, errors };
};

describe('watchOwners', () => {
  it('hands on what the source answers, and says nothing while the file is valid', async () => {
    const { owners, slack, logger } = setup();
    expect(await owners.current()).toBe(good);
    expect(await owners.current()).toBe(good);
    expect(slack.posts).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('logs and posts an invalid file once, however often it is read, and each new bad content once more', async () => {
    const { source, owners, slack, errors } = setup();
    source.now = bad('b'.repeat(64));
    const answer = await owners.current();
    expect(answer).toBe(source.now);
    await owners.current();
    await Promise.all([owners.current(), owners.current()]);
    expect(slack.posts.map((p) => p.channel)).toEqual([CHANNEL]);
    expect(errors()).toEqual(['the owners file is invalid; its last good copy stays in use and removals are refused']);

    source.now = bad('c'.repeat(64), 'The owners file /etc/owners.yml: users.alice: "x" is not a Slack user ID');
    await owners.current();
    await owners.current();
    expect(slack.posts).toHaveLength(2);
    expect(errors()).toHaveLength(2);
  });

  it('reports the same bad content again after the file was fixed in between', async () => {
    const { source, owners, slack, logger } = setup();
    source.now = bad('b'.repeat(64));
    await owners.current();
    source.now = good;
    await owners.current();
    expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      'the owners file is valid again',
    ]);
    source.now = bad('b'.repeat(64));
    await owners.current();
    expect(slack.posts).toHaveLength(2);
  });

  it('tells an unreadable file apart by its message', async () => {
    const { source, owners, slack } = setup();
    source.now = bad(null, 'The owners file /etc/owners.yml does not exist.');
    await owners.current();
    await owners.current();
    source.now = bad(null, 'The owners file /etc/owners.yml cannot be read (permission denied).');
    await owners.current();
    expect(slack.posts).toHaveLength(2);
  });

  it('tries a post that failed again at the next read, and stops once it went through', async () => {
    const { source, owners, slack, errors } = setup();
    slack.failNext(1);
    source.now = bad('b'.repeat(64));
    expect(await owners.current()).toBe(source.now);
    expect(slack.posts).toHaveLength(0);
    expect(errors()).toContain('could not tell the security channel that the owners file is invalid; will try again');
    await owners.current();
    await owners.current();
    expect(slack.posts).toHaveLength(1);
  });

  it('only logs where nobody can be told (the CLI)', async () => {
    const source = settable();
    const logger = recordingLogger();
    const owners = watchOwners(source, { logger, post: null });
    source.now = bad('b'.repeat(64));
    await owners.current();
    await owners.current();
    expect(logger.lines.map((l) => l.level)).toEqual(['error']);
  });

  it('posts a message that names both copies, says removals are refused, escapes the problem and fits Slack', async () => {
    const { source, owners, slack } = setup();
    source.now = bad(
      'd'.repeat(64),
      'The owners file /etc/<!channel>&owners.yml is not valid YAML at line 3, column 1',
    );
    await owners.current();
    const [post] = slack.posts;
    if (post === undefined) throw new Error('nothing was posted');
    const text = JSON.stringify(post.message);
    expect(text).toContain('owners file sha256:dddddddddddd');
    expect(text).toContain(`last good copy (\`owners file sha256:${'a'.repeat(12)}\`)`);
    expect(text).toContain('refuses every console password removal');
    expect(text).toContain('/etc/&lt;!channel&gt;&amp;owners.yml');
    expect(text).not.toContain('<!channel>');
    expect(limitProblems(post.message)).toEqual([]);
    expect(unescapedProblems(post.message)).toEqual([]);
  });
});
