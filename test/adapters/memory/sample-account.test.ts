import { parse } from 'yaml';

import { InMemoryIam } from '../../../src/adapters/memory/in-memory-iam';
import {
  applySampleFailures,
  createSampleIam,
  SAMPLE_EXPECTED_STATUSES,
  SAMPLE_OWNERS_FILE_YAML,
  sampleAccount,
} from '../../../src/adapters/memory/sample-account';
import { USER_STATUSES, type UserStatus } from '../../../src/domain/types';
import { AppError } from '../../../src/errors';
import { csvRecords } from './parse-csv';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const GRACE_MS = 24 * 3_600_000;
const EXEMPT_TAG = 'mfa-exempt';

interface OwnersEntry {
  readonly owner: string;
  readonly exempt: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ownersFile = (): Map<string, OwnersEntry> => {
  const doc: unknown = parse(SAMPLE_OWNERS_FILE_YAML);
  const users: unknown = isRecord(doc) ? doc['users'] : null;
  const entries = new Map<string, OwnersEntry>();
  for (const [pattern, value] of Object.entries(isRecord(users) ? users : {})) {
    if (typeof value === 'string') entries.set(pattern, { owner: value, exempt: null });
    else if (isRecord(value)) entries.set(pattern, { owner: String(value['owner']), exempt: String(value['exempt']) });
  }
  return entries;
};

const globMatch = (pattern: string, name: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);

/**
 * A deliberately naive status rule, written here independently of the answer key, using live
 * calls only: it checks that the sample data really implies SAMPLE_EXPECTED_STATUSES.
 */
const liveStatus = async (iam: InMemoryIam, userName: string, createDate: Date): Promise<UserStatus> => {
  try {
    const [profile, devices, tags] = await Promise.all([
      iam.getLoginProfile(userName),
      iam.listMfaDevices(userName),
      iam.listUserTags(userName),
    ]);
    if (profile === null) return 'no_console';
    if (devices.length > 0) return 'compliant';
    if (tags[EXEMPT_TAG] !== undefined || ownersFile().get(userName)?.exempt) return 'exempt';
    if (NOW.getTime() - createDate.getTime() < GRACE_MS) return 'grace';
    return 'non_compliant';
  } catch {
    return 'error';
  }
};

const sampleIam = (): InMemoryIam => createSampleIam(() => NOW);

describe('sample account', () => {
  it('is account 111122223333 in aws, root without MFA', async () => {
    const iam = sampleIam();
    expect(await iam.getCallerIdentity()).toMatchObject({ accountId: '111122223333', partition: 'aws' });
    expect(await iam.getAccountSummary()).toEqual({ accountMfaEnabled: false });
  });

  it('has exactly the users of the answer key', async () => {
    const names = (await sampleIam().listUsers()).map((user) => user.userName);
    expect([...names].sort()).toEqual(Object.keys(SAMPLE_EXPECTED_STATUSES).sort());
  });

  it.each(USER_STATUSES.map((status) => [status]))('has at least one %s user', (status) => {
    expect(Object.values(SAMPLE_EXPECTED_STATUSES)).toContain(status);
  });

  it.each(Object.entries(SAMPLE_EXPECTED_STATUSES))('%s really is %s by live calls', async (userName, expected) => {
    const iam = sampleIam();
    const user = await iam.getUser(userName);
    expect(user).not.toBeNull();
    expect(await liveStatus(iam, userName, user?.createDate ?? NOW)).toBe(expected);
  });

  it('makes only flaky-user fail, with access denied on ListMFADevices', async () => {
    const iam = sampleIam();
    await expect(iam.listMfaDevices('flaky-user')).rejects.toMatchObject({ code: 'iam_access_denied' });
    await expect(iam.getLoginProfile('flaky-user')).resolves.not.toBeNull();
    await expect(iam.listMfaDevices('bob')).resolves.toEqual([]);
  });

  it('applySampleFailures is what createSampleIam applies', async () => {
    const sample = sampleAccount(NOW);
    const iam = new InMemoryIam({ account: sample.account, clock: () => NOW, reportSnapshot: sample.reportSnapshot });
    await expect(iam.listMfaDevices('flaky-user')).resolves.toEqual([]);
    applySampleFailures(iam);
    const error: unknown = await iam.listMfaDevices('flaky-user').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
  });

  describe('its credential report', () => {
    const report = async () => {
      const iam = sampleIam();
      expect(await iam.generateCredentialReport()).toBe('COMPLETE');
      return iam.getCredentialReport();
    };

    it('is 3 hours old and starts with the root row (no MFA)', async () => {
      const { generatedAt, content } = await report();
      expect(generatedAt).toEqual(new Date(NOW.getTime() - 3 * 3_600_000));
      expect(csvRecords(content)[0]).toMatchObject({
        user: '<root_account>',
        mfa_active: 'false',
        password_enabled: 'not_supported',
      });
    });

    it('still shows jules without MFA, who added a device since', async () => {
      const jules = csvRecords((await report()).content).find((row) => row['user'] === 'jules');
      expect(jules).toMatchObject({ password_enabled: 'true', mfa_active: 'false' });
      expect(await sampleIam().listMfaDevices('jules')).toHaveLength(1);
    });

    it('lacks ivan, created after it', async () => {
      const users = csvRecords((await report()).content).map((row) => row['user']);
      expect(users).not.toContain('ivan');
      expect(users).toHaveLength(Object.keys(SAMPLE_EXPECTED_STATUSES).length); // root row replaces ivan
    });
  });

  describe('owners', () => {
    it.each([
      ['alice', 'U012ABCDEF'],
      ['svc-deploy', 'platform@example.com'],
      ['svc-ci', 'platform@example.com'],
      ['breakglass', 'U0SECURITY1'],
    ])('the owners file gives %s to %s', (userName, owner) => {
      const entries = [...ownersFile()];
      const match =
        entries.find(([pattern]) => pattern === userName) ?? entries.find(([pattern]) => globMatch(pattern, userName));
      expect(match?.[1].owner).toBe(owner);
    });

    it('gives bob a Slack owner tag, frank and dana no tags', async () => {
      const iam = sampleIam();
      expect((await iam.listUserTags('bob'))['slack-owner']).toMatch(/^U[A-Z0-9]{8,}$/);
      expect(await iam.listUserTags('frank')).toEqual({});
      expect(await iam.listUserTags('dana@example.com')).toEqual({});
    });

    it('leaves frank matched by nothing (unowned)', () => {
      expect([...ownersFile().keys()].some((pattern) => globMatch(pattern, 'frank'))).toBe(false);
    });
  });
});
