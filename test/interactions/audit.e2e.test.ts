/**
 * The audit log end to end: the JSON lines the running bot writes for log pipelines are the rows
 * `npm run audit` prints from the same database file, with nothing but DATABASE_PATH set.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { runCli } from '../../src/cli/run-cli';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, approvalFor, BOB, click, dmsTo, seen, STRANGER, userButton, waitFor } from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

let slack: FakeSlack;
let harness: BotHarness;
let iam: InMemoryIam;
let databasePath: string;
let clock: ReturnType<typeof createFakeClock>;

const audit = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['audit', ...argv],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_PATH: databasePath } },
    {
      clock: createFakeClock(new Date('2026-12-31T00:00:00Z')),
      createIam: () => {
        throw new Error('the audit command must not build an IAM client');
      },
      holder: 'test-cli',
    },
  );
  return { code, stdout, stderr };
};

const answered = (responseUrl: string) => waitFor(() => slack.responsesTo(responseUrl)[0], `an answer to ${responseUrl}`);

const requestFromDm = async (userId: string, userName: string): Promise<{ message: FakePostedMessage; approve: string }> => {
  const dm = dmsTo(slack, userId)[0];
  if (dm === undefined) throw new Error(`no DM to ${userId}`);
  const remove = userButton(dm.blocks, userName, 'mfa_request_removal');
  const { responseUrl } = await click(slack, harness, { userId, actionId: remove.actionId, value: remove.value, where: { channel: dm.channel, ts: dm.ts } });
  await answered(responseUrl);
  return approvalFor(slack, SECURITY_CHANNEL, userName);
};

const approveAs = (userId: string, request: { message: FakePostedMessage; approve: string }) =>
  click(slack, harness, { userId, actionId: 'mfa_approve_removal', value: request.approve, where: { channel: request.message.channel, ts: request.message.ts } });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each line parsed as a JSON object (throws on anything else, so a malformed line fails the test). */
const parsed = (lines: readonly string[]): Record<string, unknown>[] =>
  lines.map((line) => {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value)) throw new Error(`not a JSON object: ${line}`);
    return value;
  });

describe('audit log: bot lines and `npm run audit` agree', () => {
  beforeAll(async () => {
    slack = await startSampleSlack();
    clock = createFakeClock(START);
    iam = sampleIam(clock);
    databasePath = newDatabasePath();
    harness = await startBot({ slack, iam, clock, databasePath });
    await harness.bot.runScanCycle('command');

    // Day 0: alice and bob ask; a stranger tries to approve alice's request.
    const alice = await requestFromDm(ALICE, 'alice');
    const bob = await requestFromDm(BOB, 'bob');
    await answered((await approveAs(STRANGER, alice)).responseUrl);
    // Day 1: the approver approves alice's.
    clock.advance(DAY_MS);
    await approveAs(APPROVER, alice);
    await waitFor(() => seen({ text: alice.message.text, blocks: alice.message.blocks }).includes('Removed by'), 'alice removed');
    await waitFor(() => harness.auditLines.some((l) => l.includes('"finding_closed"')), 'the finding_closed line');
    // Day 4: bob's request has expired by the time the approver gets to it.
    clock.advance(3 * DAY_MS);
    await answered((await approveAs(APPROVER, bob)).responseUrl);
  });

  afterAll(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  it('the bot wrote one JSON audit line per action, refusals and the system expiry included', () => {
    const lines = parsed(harness.auditLines);
    expect(lines.every((l) => l['type'] === 'audit')).toBe(true);
    const summary = lines.map((l) => [l['action'], l['outcome'], l['actor'], l['userName'], l['requestId']]);
    expect(summary).toEqual([
      ['removal_request', 'succeeded', ALICE, 'alice', 1],
      ['removal_request', 'succeeded', BOB, 'bob', 2],
      ['removal_approve', 'refused', STRANGER, 'alice', 1],
      ['removal_approve', 'succeeded', APPROVER, 'alice', 1],
      ['removal_execute', 'succeeded', APPROVER, 'alice', 1],
      ['finding_closed', 'succeeded', APPROVER, 'alice', 1],
      ['removal_expire', 'succeeded', 'mfa-guard', 'bob', 2],
      ['removal_approve', 'refused', APPROVER, 'bob', 2],
    ]);
    expect(lines.map((l) => l['id'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines.every((l) => l['accountId'] === '111122223333')).toBe(true);
  });

  it('`audit --json` prints exactly the lines the bot wrote, with only DATABASE_PATH set', async () => {
    const result = await audit(['--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(parsed(result.stdout.trimEnd().split('\n'))).toEqual(parsed(harness.auditLines));
  });

  it('`audit` prints them as a table, one row per line, oldest first', async () => {
    const result = await audit([]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').slice(2).map((line) => line.split(/\s{2,}/));
    expect(rows).toHaveLength(harness.auditLines.length);
    const lines = parsed(harness.auditLines);
    rows.forEach((row, i) => {
      const line = lines[i] ?? {};
      expect(row.slice(0, 7)).toEqual([
        String(line['at']).replace(/\.\d{3}Z$/, 'Z'),
        line['actor'],
        line['action'],
        line['accountId'],
        line['userName'],
        line['outcome'],
        line['requestId'] === null ? '-' : `#${String(line['requestId'])}`,
      ]);
    });
  });

  it('`audit --since` keeps the entries from that day on', async () => {
    const result = await audit(['--since', '2026-11-24', '--json']);
    expect(result.code).toBe(0);
    const all = parsed(harness.auditLines);
    expect(parsed(result.stdout.trimEnd().split('\n'))).toEqual(all.filter((l) => String(l['at']) >= '2026-11-24'));
    expect(all.filter((l) => String(l['at']) >= '2026-11-24')).toHaveLength(5);
  });
});
