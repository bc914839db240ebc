import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createAuditLog } from '../../src/adapters/sqlite/audit-log';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createScanStore } from '../../src/adapters/sqlite/scan-store';
import { runCli } from '../../src/cli/run-cli';
import { type AuditEntry, auditJson, SYSTEM_ACTOR } from '../../src/domain/audit';
import { accountScan } from '../contracts/fixtures';
import { tempDir } from '../support/cli-harness';
import { createFakeClock } from '../support/fake-clock';

const ENTRIES: AuditEntry[] = [
  {
    at: new Date('2026-10-31T23:59:59Z'),
    actor: 'U0ALICE001',
    action: 'status_user',
    accountId: '111122223333',
    userName: 'root-ish',
    outcome: 'refused',
    detail: 'not an owner or approver',
    requestId: null,
  },
  {
    at: new Date('2026-11-01T00:00:00Z'),
    actor: 'U0BOB12345',
    action: 'removal_request',
    accountId: '111122223333',
    userName: 'frank',
    outcome: 'succeeded',
    detail: null,
    requestId: 1,
  },
  {
    at: new Date('2026-11-01T10:00:00Z'),
    actor: 'U0SECURITY1',
    action: 'removal_approve',
    accountId: '111122223333',
    userName: 'frank',
    outcome: 'succeeded',
    detail: null,
    requestId: 1,
  },
  {
    at: new Date('2026-11-02T08:30:00Z'),
    actor: SYSTEM_ACTOR,
    action: 'removal_expire',
    accountId: '111122223333',
    userName: 'gina',
    outcome: 'succeeded',
    detail: 'no decision within 24 h',
    requestId: 2,
  },
];

/** A migrated database file holding `entries`, and an env that names it and nothing else. */
const databaseWith = async (entries: readonly AuditEntry[]) => {
  const dir = tempDir();
  const path = join(dir, 'state', 'mfa-guard.db');
  const db = openDatabase(path);
  const log = createAuditLog(db, () => undefined);
  for (const entry of entries) await log.record(entry);
  db.close();
  return { dir, path, env: { DATABASE_PATH: path } };
};

const run = async (argv: string[], env: Record<string, string>) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env },
    {
      clock: createFakeClock(new Date('2026-11-28T14:00:00Z')),
      createAccounts: () => {
        throw new Error('the audit command must not build AWS clients');
      },
      holder: 'test-cli',
    },
  );
  return { code, stdout, stderr };
};

describe('mfa-guard audit', () => {
  it('prints every entry as a table, oldest first, with only DATABASE_PATH set', async () => {
    const { env } = await databaseWith(ENTRIES);
    const result = await run(['audit'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+ACTOR\s+ACTION\s+ACCOUNT\s+IAM USER\s+OUTCOME\s+REQUEST\s+DETAIL$/);
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/))).toEqual([
      [
        '2026-10-31T23:59:59Z',
        'U0ALICE001',
        'status_user',
        '111122223333',
        'root-ish',
        'refused',
        '-',
        'not an owner or approver',
      ],
      ['2026-11-01T00:00:00Z', 'U0BOB12345', 'removal_request', '111122223333', 'frank', 'succeeded', '#1', '-'],
      ['2026-11-01T10:00:00Z', 'U0SECURITY1', 'removal_approve', '111122223333', 'frank', 'succeeded', '#1', '-'],
      [
        '2026-11-02T08:30:00Z',
        'mfa-guard',
        'removal_expire',
        '111122223333',
        'gina',
        'succeeded',
        '#2',
        'no decision within 24 h',
      ],
    ]);
  });

  it('shows each account by the alias its latest scan read', async () => {
    const { path, env } = await databaseWith(ENTRIES.slice(0, 1));
    const db = openDatabase(path);
    await createScanStore(db).saveScan(accountScan({ accountId: '111122223333', alias: 'acme-prod' }));
    db.close();
    const result = await run(['audit'], env);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')[2]
        ?.split(/\s{2,}/)[3],
    ).toBe('acme-prod (111122223333)');
  });

  it('--json prints one auditJson line per entry and nothing else', async () => {
    const { env } = await databaseWith(ENTRIES);
    const result = await run(['audit', '--json'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.endsWith('\n')).toBe(true);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(ENTRIES.map((entry, i) => auditJson({ ...entry, id: i + 1 })));
    expect(lines[0]).toMatchObject({
      type: 'audit',
      at: '2026-10-31T23:59:59.000Z',
      action: 'status_user',
      requestId: null,
    });
  });

  it.each([
    [
      ['audit', '--since', '2026-11-01'],
      ['removal_request', 'removal_approve', 'removal_expire'],
    ],
    [
      ['audit', '--since=2026-11-01T10:00:00Z'],
      ['removal_approve', 'removal_expire'],
    ],
    [
      ['audit', '--since', '2026-11-01T11:00:00+01:00'],
      ['removal_approve', 'removal_expire'],
    ], // 10:00Z, inclusive
    [['audit', '--since', '2026-11-01T10:00:01Z'], ['removal_expire']],
  ])('%j keeps only entries at or after the date', async (argv, actions) => {
    const { env } = await databaseWith(ENTRIES);
    const result = await run([...argv, '--json'], env);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).action),
    ).toEqual(actions);
  });

  it('says there is nothing since the date, on stdout for text', async () => {
    const { env } = await databaseWith(ENTRIES);
    const result = await run(['audit', '--since', '2026-12-01'], env);
    expect(result).toEqual({ code: 0, stdout: 'No audit entries since 2026-12-01T00:00:00.000Z.\n', stderr: '' });
  });

  it('keeps stdout empty for --json with no entries, and says why on stderr', async () => {
    const { env } = await databaseWith([]);
    const result = await run(['audit', '--json'], env);
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'No audit entries.\n' });
  });

  it('prints "No audit entries." for an empty log', async () => {
    const { env } = await databaseWith([]);
    expect(await run(['audit'], env)).toEqual({ code: 0, stdout: 'No audit entries.\n', stderr: '' });
  });

  it.each([
    [['audit', '--since', 'yesterday'], '--since "yesterday" is not an ISO-8601 date or date-time'],
    [['audit', '--since', '2026-11-31'], '--since "2026-11-31" is not a date that exists'],
    [['audit', '--since'], '--since needs a date'],
    [['audit', '--verbose'], 'unknown option "--verbose"'],
    [['audit', '--dry-run'], 'unknown option "--dry-run"'],
  ])('%j exits 2 with usage and nothing on stdout', async (argv, problem) => {
    const { env } = await databaseWith(ENTRIES);
    const result = await run(argv, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(problem);
    expect(result.stderr).toContain('mfa-guard audit [--since DATE] [--json]');
  });

  it('exits 2 with a clear error when the database file does not exist, and does not create it', async () => {
    const dir = tempDir();
    const path = join(dir, 'missing', 'mfa-guard.db');
    const result = await run(['audit'], { DATABASE_PATH: path });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(path);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 2 when DATABASE_PATH is not a database, and leaves the file as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database');
    const result = await run(['audit'], { DATABASE_PATH: path });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(path);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('ignores bad AWS and scan settings it does not use', async () => {
    const { env } = await databaseWith(ENTRIES.slice(0, 1));
    const result = await run(['audit', '--json'], {
      ...env,
      AWS_REGION: 'not a region',
      SCAN_CONCURRENCY: '0',
      AWS_ENDPOINT_URL_IAM: 'ftp://x',
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('adds no entry of its own: reading the log is not audited', async () => {
    const { env } = await databaseWith(ENTRIES);
    await run(['audit'], env);
    await run(['audit', '--json'], env);
    const again = await run(['audit', '--json'], env);
    expect(again.stdout.trimEnd().split('\n')).toHaveLength(ENTRIES.length);
  });
});
