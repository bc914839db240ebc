/**
 * The owners file read again while mfa-guard runs: parsed only when its sha256 changes, its last
 * good copy kept while it is invalid or unreadable, and an invalid file at start-up refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { openOwnersFileSource, ownersFileHash, type ReadBytes } from '../../src/adapters/owners-file';
import { tempDir } from '../support/cli-harness';

const GOOD = 'users:\n  alice: U012ABCDEF\n';
const EXEMPT = 'users:\n  alice:\n    owner: U012ABCDEF\n    exempt: "Kiosk account"\n';
const BAD = 'users:\n  alice: not-an-owner\n';

const sha256 = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

const ownersFile = (text: string): string => {
  const path = join(tempDir(), 'owners.yml');
  writeFileSync(path, text);
  return path;
};

/** Reads the real file and counts the reads. */
const countingRead = (): { read: ReadBytes; count: () => number } => {
  let count = 0;
  return {
    read: (path) => {
      count += 1;
      return Promise.resolve(readFileSync(path));
    },
    count: () => count,
  };
};

describe('openOwnersFileSource', () => {
  it('answers with the entries and the sha256 of the bytes on disk', async () => {
    const path = ownersFile(GOOD);
    const owners = await openOwnersFileSource(path);
    const now = await owners.current();
    expect(now.hash).toBe(sha256(GOOD));
    expect(now.problem).toBeNull();
    expect(now.ownersFile).toEqual({
      source: path,
      entries: [
        { pattern: 'alice', account: null, name: 'alice', owner: { kind: 'slack', value: 'U012ABCDEF' }, exempt: null },
      ],
      accounts: [],
    });
    expect(ownersFileHash(GOOD)).toBe(sha256(GOOD));
  });

  it('reads the file at every call but parses it again only when its hash changed', async () => {
    const path = ownersFile(GOOD);
    const { read, count } = countingRead();
    const owners = await openOwnersFileSource(path, read);
    const first = await owners.current();
    // The same bytes written again (a new mtime, say) are the same file: the parsed copy is reused.
    writeFileSync(path, GOOD);
    const second = await owners.current();
    expect(count()).toBe(3);
    expect(second).toBe(first);
    expect(second.ownersFile).toBe(first.ownersFile);
  });

  it('uses a rewrite from the next call on', async () => {
    const path = ownersFile(GOOD);
    const owners = await openOwnersFileSource(path);
    await owners.current();
    writeFileSync(path, EXEMPT);
    const now = await owners.current();
    expect(now.hash).toBe(sha256(EXEMPT));
    expect(now.problem).toBeNull();
    expect(now.ownersFile.entries).toEqual([
      {
        pattern: 'alice',
        account: null,
        name: 'alice',
        owner: { kind: 'slack', value: 'U012ABCDEF' },
        exempt: 'Kiosk account',
      },
    ]);
  });

  it('keeps the last good copy while the file is invalid, with the problem and the hash of the bad bytes, and does not parse the bad bytes twice', async () => {
    const path = ownersFile(GOOD);
    const owners = await openOwnersFileSource(path);
    const good = await owners.current();
    writeFileSync(path, BAD);
    const bad = await owners.current();
    expect(bad.ownersFile).toBe(good.ownersFile);
    expect(bad.hash).toBe(sha256(GOOD));
    expect(bad.problem).toEqual({
      message: expect.stringContaining(
        `${path}: users.alice: "not-an-owner" is not a Slack user ID or an email address`,
      ),
      hash: sha256(BAD),
    });
    expect(await owners.current()).toBe(bad);
  });

  it('keeps the last good copy while the file cannot be read, and uses the file again once it is back', async () => {
    const path = ownersFile(GOOD);
    const owners = await openOwnersFileSource(path);
    const good = await owners.current();
    rmSync(path);
    const gone = await owners.current();
    expect(gone.ownersFile).toBe(good.ownersFile);
    expect(gone.problem).toEqual({ message: `The owners file ${path} does not exist.`, hash: null });

    writeFileSync(path, GOOD);
    const back = await owners.current();
    expect(back).toEqual({ ownersFile: good.ownersFile, hash: sha256(GOOD), problem: null });
  });

  it('drops the problem once the file is fixed, with the fixed content', async () => {
    const path = ownersFile(GOOD);
    const owners = await openOwnersFileSource(path);
    await owners.current();
    writeFileSync(path, BAD);
    expect((await owners.current()).problem).not.toBeNull();
    writeFileSync(path, EXEMPT);
    const fixed = await owners.current();
    expect(fixed.problem).toBeNull();
    expect(fixed.hash).toBe(sha256(EXEMPT));
    expect(fixed.ownersFile.entries[0]?.exempt).toBe('Kiosk account');
  });

  it.each([
    ['invalid', BAD, 'users.alice: "not-an-owner" is not a Slack user ID'],
    ['not YAML', 'users:\n  alice: [U012\n', 'is not valid YAML'],
  ])(
    'refuses a file that is %s at start-up, naming the file (the command stops with exit 2)',
    async (_what, text, problem) => {
      const path = ownersFile(text);
      await expect(openOwnersFileSource(path)).rejects.toMatchObject({
        code: 'owners_file_invalid',
        message: expect.stringContaining(problem),
      });
      await expect(openOwnersFileSource(path)).rejects.toMatchObject({ message: expect.stringContaining(path) });
    },
  );

  it('refuses a missing file at start-up', async () => {
    const path = join(tempDir(), 'missing.yml');
    await expect(openOwnersFileSource(path)).rejects.toMatchObject({
      code: 'owners_file_invalid',
      message: `The owners file ${path} does not exist.`,
    });
  });
});
