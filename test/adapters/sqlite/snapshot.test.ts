import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { openDatabase, openDatabaseSnapshot } from '../../../src/adapters/sqlite/database';
import { LATEST_SCHEMA_VERSION } from '../../../src/adapters/sqlite/migrations';
import { createScanLease } from '../../../src/adapters/sqlite/scan-lease';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { AppError } from '../../../src/errors';
import { ACCOUNT_A, accountScan, at, user } from '../../contracts/fixtures';
import { caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

/** Everything a write could change: each file's bytes and mtime, and which files exist. */
const fingerprint = (dir: string): Record<string, { sha256: string; mtimeMs: number; size: number }> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const path = join(dir, name);
        const { mtimeMs, size } = statSync(path);
        return [name, { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), mtimeMs, size }];
      }),
  );

/** Writes through the snapshot the way a dry-run scan would. */
const scanInto = async (path: string): Promise<void> => {
  const snapshot = tmp.track(openDatabaseSnapshot(path));
  const store = createScanStore(snapshot);
  expect(await createScanLease(snapshot).acquire('dry-run', at(0), 60_000)).toBe(true);
  await store.saveScan(accountScan({ startedAt: at(10), finishedAt: at(11), users: [user({ userName: 'mallory' })] }));
  expect((await store.userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['mallory']);
  snapshot.close();
};

describe('openDatabaseSnapshot', () => {
  it('copies an existing database; writes to the copy never reach the file or its folder', async () => {
    const dir = tmp.dir();
    const path = join(dir, 'state.db');
    const real = openDatabase(path);
    const { scanId: savedId } = await createScanStore(real).saveScan(
      accountScan({ users: [user({ userName: 'alice' })] }),
    );
    real.close();
    const before = fingerprint(dir);
    expect(Object.keys(before)).toEqual(['state.db']);

    const snapshot = tmp.track(openDatabaseSnapshot(path));
    expect(snapshot.memory).toBe(true);
    expect((await createScanStore(snapshot).lastScan())?.id).toBe(savedId);
    expect((await createScanStore(snapshot).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice']);
    snapshot.close();
    await scanInto(path);

    expect(fingerprint(dir)).toEqual(before);
    const reopened = tmp.track(openDatabase(path));
    expect((await createScanStore(reopened).lastScan())?.id).toBe(savedId);
    expect((await createScanStore(reopened).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice']);
  });

  it('sees transactions still in the -wal file of a live writer, and changes no file', async () => {
    const dir = tmp.dir();
    const path = join(dir, 'state.db');
    const writer = tmp.track(openDatabase(path));
    const { scanId: id } = await createScanStore(writer).saveScan(accountScan({ users: [user({ userName: 'bob' })] }));
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    const mainBefore = fingerprint(dir)['state.db'];

    const snapshot = tmp.track(openDatabaseSnapshot(path));
    expect((await createScanStore(snapshot).lastScan())?.id).toBe(id);
    expect((await createScanStore(snapshot).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['bob']);
    snapshot.close();
    await scanInto(path);

    expect(fingerprint(dir)['state.db']).toEqual(mainBefore);
    expect((await createScanStore(writer).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['bob']);
  });

  it('returns an empty migrated database when the file does not exist, creating neither file nor folder', async () => {
    const parent = tmp.dir();
    const path = join(parent, 'missing', 'state.db');
    const snapshot = tmp.track(openDatabaseSnapshot(path));
    expect(await createScanStore(snapshot).lastScan()).toBeNull();
    expect(snapshot.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(LATEST_SCHEMA_VERSION);
    snapshot.close();
    await scanInto(path);
    expect(existsSync(join(parent, 'missing'))).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a newer database without touching it', () => {
    const dir = tmp.dir();
    const path = join(dir, 'state.db');
    const real = openDatabase(path);
    real
      .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
      .run(LATEST_SCHEMA_VERSION + 1, 'x');
    real.close();
    const before = fingerprint(dir);

    const thrown = caught(() => openDatabaseSnapshot(path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining(path) });
    expect(fingerprint(dir)).toEqual(before);
  });
});

describe('openDatabaseSnapshot of a file that is not a database', () => {
  it('fails with a database_error naming the path, and leaves the file alone', () => {
    const dir = tmp.dir();
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'plain text that happens to be called notes.db, long enough for a header');
    const before = fingerprint(dir);
    const thrown = caught(() => openDatabaseSnapshot(path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining(path) });
    expect(fingerprint(dir)).toEqual(before);
  });
});
