/**
 * The audit log: the JSON lines the bot writes for log pipelines are the rows `npm run audit`
 * prints from the same database file, with nothing but DATABASE_PATH set.
 */
import { runCli } from '../../../src/cli/run-cli';
import { createFakeClock } from '../../support/fake-clock';
import { type Approval, startWorld, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, STRANGER, userButton } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each line parsed as a JSON object (throws on anything else, so a malformed line fails the test). */
const parsed = (lines: readonly string[]): Record<string, unknown>[] =>
  lines.map((line) => {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value)) throw new Error(`not a JSON object: ${line}`);
    return value;
  });

describe('audit log: bot lines and `npm run audit` agree', () => {
  let w: World;

  const audit = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['audit', ...argv],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_PATH: w.databasePath ?? '' } },
      {
        clock: createFakeClock(new Date('2026-12-31T00:00:00Z')),
        createAccounts: () => {
          throw new Error('the audit command must not build AWS clients');
        },
        holder: 'test-cli',
      },
    );
    return { code, stdout, stderr };
  };

  const requestFromDm = async (userId: string, userName: string): Promise<Approval> => {
    const dm = w.slack.dmsTo(userId)[0];
    if (dm === undefined) throw new Error(`no DM to ${userId}`);
    const remove = userButton(dm.message.blocks, userName, 'mfa_request_removal');
    await w.click(userId, remove.actionId, remove.value, dm);
    return w.approvalFor(userName);
  };

  const approveAs = (userId: string, request: Approval) =>
    w.click(userId, 'mfa_approve_removal', request.approve, request.where);

  beforeEach(async () => {
    w = await startWorld({ databaseFile: true });
    // Day 0: alice and bob ask; a stranger tries to approve alice's request.
    const alice = await requestFromDm(ALICE, 'alice');
    const bob = await requestFromDm(BOB, 'bob');
    await approveAs(STRANGER, alice);
    // Day 1: the approver approves alice's.
    w.clock.advance(DAY_MS);
    await approveAs(APPROVER, alice);
    expect(w.textAt(alice.where)).toContain('Removed by');
    // Day 4: bob's request has expired by the time the approver gets to it.
    w.clock.advance(3 * DAY_MS);
    await approveAs(APPROVER, bob);
    await w.idle();
  });

  it('the bot wrote one JSON audit line per action, refusals and the system expiry included', () => {
    const lines = parsed(w.auditLines);
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
    expect(parsed(result.stdout.trimEnd().split('\n'))).toEqual(parsed(w.auditLines));
  });

  it('`audit` prints them as a table, one row per line, oldest first', async () => {
    const result = await audit([]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s{2,}/));
    expect(rows).toHaveLength(w.auditLines.length);
    const lines = parsed(w.auditLines);
    rows.forEach((row, i) => {
      const line = lines[i] ?? {};
      expect(row.slice(0, 7)).toEqual([
        String(line['at']).replace(/\.\d{3}Z$/, 'Z'),
        line['actor'],
        line['action'],
        // The sample account by the alias its scan stored.
        typeof line['accountId'] === 'string' ? `acme-prod (${line['accountId']})` : '-',
        line['userName'],
        line['outcome'],
        typeof line['requestId'] === 'number' ? `#${line['requestId']}` : '-',
      ]);
    });
  });

  it('`audit --since` keeps the entries from that day on', async () => {
    const result = await audit(['--since', '2026-11-24', '--json']);
    expect(result.code).toBe(0);
    const all = parsed(w.auditLines);
    expect(parsed(result.stdout.trimEnd().split('\n'))).toEqual(all.filter((l) => String(l['at']) >= '2026-11-24'));
    expect(all.filter((l) => String(l['at']) >= '2026-11-24')).toHaveLength(5);
  });
});
