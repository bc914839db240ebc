import { parse as parseYaml } from 'yaml';

import { createSampleIam, SAMPLE_ACCOUNT_ID, SAMPLE_OWNERS_FILE_YAML } from '../../src/adapters/memory/sample-account';
import { parseOwnersDocument } from '../../src/domain/owners';
import type { AccountRef, Finding, FindingCloseReason, UserStatus } from '../../src/domain/types';
import { AppError } from '../../src/errors';
import { checkUserLive, closureOf, type LiveCheck } from '../../src/services/check-user';
import { createFakeClock } from '../support/fake-clock';

const NOW = new Date('2026-11-23T14:00:00Z');
const ACCOUNT: AccountRef = { accountId: SAMPLE_ACCOUNT_ID, partition: 'aws', alias: null };
const POLICY = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner', 'owner-email', 'email', 'owner'],
};
const OWNERS = parseOwnersDocument(parseYaml(SAMPLE_OWNERS_FILE_YAML), 'sample owners file');

const setup = (openFindings: readonly Finding[] = []) => {
  const clock = createFakeClock(NOW);
  const iam = createSampleIam(() => clock.now());
  const check = (userName: string): Promise<LiveCheck> =>
    checkUserLive(
      { iam, clock, ownersFile: OWNERS, openFindings: async () => openFindings },
      POLICY,
      ACCOUNT,
      userName,
    );
  return { iam, check };
};

const statusOf = (live: LiveCheck): string => (live.kind === 'checked' ? live.result.status : 'not_found');

describe('checkUserLive', () => {
  it.each([
    ['alice', 'non_compliant'],
    ['carol', 'compliant'],
    ['svc-ci', 'no_console'],
    ['breakglass', 'exempt'],
    ['kiosk', 'exempt'],
    ['gina', 'grace'],
    ['flaky-user', 'error'],
    ['nobody-by-this-name', 'not_found'],
  ])('%s is %s, as a scan would say', async (userName, status) => {
    expect(statusOf(await setup().check(userName))).toBe(status);
  });

  it('reads the owner from tags and the owners file', async () => {
    const { check } = setup();
    const bob = await check('bob');
    const alice = await check('alice');
    expect(bob.kind === 'checked' && bob.result.owner).toMatchObject({ kind: 'slack', value: 'U0BOB12345' });
    expect(alice.kind === 'checked' && alice.result.owner).toMatchObject({ kind: 'slack', value: 'U012ABCDEF' });
  });

  it('an offender whose tags cannot be read is an error, never compliant or exempt', async () => {
    const { iam, check } = setup();
    iam.failWith('listUserTags', new AppError('iam_access_denied', 'AWS denied iam:ListUserTags for user kiosk.'), {
      userName: 'kiosk',
    });
    const kiosk = await check('kiosk');
    expect(statusOf(kiosk)).toBe('error');
    expect(kiosk.kind === 'checked' && kiosk.result.reason).toContain('tags (owner, exemption) could not be read');
  });

  it('a compliant user whose tags cannot be read stays compliant, without a tag owner', async () => {
    const { iam, check } = setup();
    iam.failWith('listUserTags', new AppError('iam_access_denied', 'denied'), { userName: 'carol' });
    expect(statusOf(await check('carol'))).toBe('compliant');
  });

  it.each([
    ['bob: tags read, check succeeded', 'bob', null, true],
    ['alice: named by the owners file', 'alice', null, true],
    ['carol: compliant, tags read', 'carol', null, true],
    ['carol: compliant, tags unreadable: the owner is a fallback', 'carol', 'listUserTags', false],
    ['bob: tags unreadable, so bob is an error', 'bob', 'listUserTags', false],
    ['bob: MFA devices unreadable: a failed check never vouches for an owner', 'bob', 'listMfaDevices', false],
    ['alice: MFA devices unreadable, but the owners file names her owner', 'alice', 'listMfaDevices', true],
  ] as const)('knows the owner for certain or not: %s', async (_label, userName, failing, known) => {
    const { iam, check } = setup();
    if (failing !== null) iam.failWith(failing, new AppError('iam_throttled', 'Rate exceeded'), { userName });
    const live = await check(userName);
    expect(live.kind === 'checked' && live.ownerKnown).toBe(known);
  });

  it('keeps the age of the open finding of the same UserId only', async () => {
    const opened = new Date('2026-11-01T00:00:00Z');
    const { iam } = setup();
    const aliceId = (await iam.getUser('alice'))?.userId ?? '';
    const same = await setup([
      {
        id: 1,
        accountId: SAMPLE_ACCOUNT_ID,
        userName: 'alice',
        userId: aliceId,
        openedAt: opened,
        closedAt: null,
        closeReason: null,
        reopensId: null,
        chainStartedAt: opened,
      },
    ]).check('alice');
    const other = await setup([
      {
        id: 1,
        accountId: SAMPLE_ACCOUNT_ID,
        userName: 'alice',
        userId: 'AIDAOLDALICE',
        openedAt: opened,
        closedAt: null,
        closeReason: null,
        reopensId: null,
        chainStartedAt: opened,
      },
    ]).check('alice');
    expect(same.kind === 'checked' && same.result.nonCompliantSince).toEqual(opened);
    expect(other.kind === 'checked' && other.result.nonCompliantSince).not.toEqual(opened);
  });

  it('throws when GetUser itself fails', async () => {
    const { iam, check } = setup();
    iam.failWith('getUser', new AppError('iam_access_denied', 'AWS denied iam:GetUser for user alice.'));
    await expect(check('alice')).rejects.toMatchObject({ code: 'iam_access_denied' });
  });
});

describe('closureOf', () => {
  const finding: Finding = {
    id: 1,
    accountId: SAMPLE_ACCOUNT_ID,
    userName: 'alice',
    userId: 'AIDAALICE',
    openedAt: new Date('2026-11-01T00:00:00Z'),
    closedAt: null,
    closeReason: null,
    reopensId: null,
    chainStartedAt: new Date('2026-11-01T00:00:00Z'),
  };
  const live = (status: UserStatus, userId = 'AIDAALICE'): LiveCheck => ({
    kind: 'checked',
    result: {
      accountId: SAMPLE_ACCOUNT_ID,
      userName: 'alice',
      userId,
      arn: 'arn:aws:iam::111122223333:user/alice',
      status,
      source: 'live',
      checkedAt: NOW,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      passwordLastUsed: null,
      nonCompliantSince: null,
      owner: { kind: 'unowned', value: null, source: 'none' },
      reason: null,
      graceUntil: null,
    },
    ownerKnown: true,
  });
  it.each<[string, LiveCheck, FindingCloseReason | null]>([
    ['MFA on', live('compliant'), 'fixed'],
    ['no console password', live('no_console'), 'fixed'],
    ['exempt now', live('exempt'), 'exempted'],
    ['in grace', live('grace'), 'in_grace'],
    ['deleted', { kind: 'not_found' }, 'deleted'],
    ['recreated, compliant', live('compliant', 'AIDANEWALICE'), 'replaced'],
    ['recreated, still without MFA', live('non_compliant', 'AIDANEWALICE'), 'replaced'],
    ['still without MFA', live('non_compliant'), null],
    ['not checkable', live('error'), null],
  ])('%s → %s', (_label, check, expected) => {
    expect(closureOf(finding, check, NOW)).toBe(expected);
  });
});
