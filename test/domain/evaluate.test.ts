import { evaluateUser, type EvaluationPolicy } from '../../src/domain/evaluate';
import { EMPTY_OWNERS_FILE, parseOwnersDocument } from '../../src/domain/owners';
import type { IamUser, Observation, Tags, UserStatus } from '../../src/domain/types';

const NOW = new Date('2026-11-28T14:00:00Z');
const HOUR = 3_600_000;
const POLICY: EvaluationPolicy = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner', 'owner-email'],
};

const user = (createdHoursAgo: number, userName = 'bob'): IamUser => ({
  userName,
  userId: 'AIDABOB',
  arn: `arn:aws:iam::111122223333:user/${userName}`,
  path: '/',
  createDate: new Date(NOW.getTime() - createdHoursAgo * HOUR),
  passwordLastUsed: null,
});

const checked = (hasLoginProfile: boolean, hasMfa: boolean, source: 'report' | 'live' = 'live'): Observation => ({
  kind: 'checked',
  hasLoginProfile,
  hasMfa,
  source,
  checkedAt: NOW,
});
const failed: Observation = { kind: 'failed', reason: 'AWS denied iam:ListMFADevices', checkedAt: NOW };

const ownersWithExemption = parseOwnersDocument({ users: { bob: { exempt: 'break-glass' } } }, 'owners.yml');

describe('evaluateUser', () => {
  it.each<[string, Observation, number, Tags | null, UserStatus, string | null]>([
    ['no login profile', checked(false, false), 1000, null, 'no_console', null],
    ['no login profile, MFA device left over', checked(false, true), 1000, null, 'no_console', null],
    ['password and MFA', checked(true, true), 1000, null, 'compliant', null],
    ['password and MFA, from the report', checked(true, true, 'report'), 1000, null, 'compliant', null],
    ['password, no MFA, old user', checked(true, false), 1000, {}, 'non_compliant', null],
    ['password, no MFA, created 23 h ago', checked(true, false), 23, {}, 'grace', null],
    ['password, no MFA, created exactly 24 h ago', checked(true, false), 24, {}, 'non_compliant', null],
    [
      'password, no MFA, exempt by tag',
      checked(true, false),
      1000,
      { 'mfa-exempt': 'kiosk account' },
      'exempt',
      'kiosk account',
    ],
    [
      'password, no MFA, new AND exempt: exempt wins',
      checked(true, false),
      1,
      { 'mfa-exempt': 'kiosk' },
      'exempt',
      'kiosk',
    ],
    ['check failed', failed, 1000, null, 'error', 'AWS denied iam:ListMFADevices'],
  ])('%s', (_name, observation, createdHoursAgo, tags, status, reason) => {
    const result = evaluateUser({
      accountId: '111122223333',
      user: user(createdHoursAgo),
      observation,
      tags,
      ownersFile: EMPTY_OWNERS_FILE,
      policy: POLICY,
      now: NOW,
    });
    expect(result.status).toBe(status);
    expect(result.reason).toBe(reason);
    expect(result.nonCompliantSince).toBeNull();
    expect(result.graceUntil).toEqual(status === 'grace' ? new Date(NOW.getTime() + HOUR) : null);
    expect(result.source).toBe(observation.kind === 'checked' ? observation.source : 'live');
  });

  it('takes an exemption from the owners file', () => {
    const result = evaluateUser({
      accountId: '111122223333',
      user: user(1000),
      observation: checked(true, false),
      tags: {},
      ownersFile: ownersWithExemption,
      policy: POLICY,
      now: NOW,
    });
    expect(result).toMatchObject({ status: 'exempt', reason: 'break-glass' });
  });

  it('a grace period of 0 h means no grace', () => {
    const result = evaluateUser({
      accountId: '111122223333',
      user: user(0),
      observation: checked(true, false),
      tags: {},
      ownersFile: EMPTY_OWNERS_FILE,
      policy: { ...POLICY, gracePeriodHours: 0 },
      now: NOW,
    });
    expect(result.status).toBe('non_compliant');
  });

  it('resolves the owner from tags in the configured order', () => {
    const result = evaluateUser({
      accountId: '111122223333',
      user: user(1000),
      observation: checked(true, false),
      tags: { 'owner-email': 'bob@example.com', 'slack-owner': 'U012ABCDEF' },
      ownersFile: EMPTY_OWNERS_FILE,
      policy: POLICY,
      now: NOW,
    });
    expect(result.owner).toEqual({ kind: 'slack', value: 'U012ABCDEF', source: 'tag:slack-owner' });
  });

  describe('with account-scoped owners-file entries and an account default', () => {
    const OWNERS = parseOwnersDocument(
      {
        users: {
          'bg-*': { exempt: 'Break-glass; hardware token in the safe' },
          '111122223333/bg-root': 'U0SECURITY1',
          'svc-*': { exempt: 'Service accounts' },
          '111122223333/svc-*': { exempt: false },
        },
        accounts: { '111122223333': 'U0ACCTDEF1' },
      },
      'owners.yml',
    );
    it.each<[string, string, string, Tags | null, UserStatus, { value: string | null; source: string }]>([
      [
        'an account-scoped owner-only entry keeps the exemption',
        '111122223333',
        'bg-root',
        {},
        'exempt',
        { value: 'U0SECURITY1', source: 'owners-file:111122223333/bg-root' },
      ],
      [
        'exempt: false lifts the glob exemption in its account',
        '111122223333',
        'svc-web',
        {},
        'non_compliant',
        { value: 'U0ACCTDEF1', source: 'account-default:111122223333' },
      ],
      ['not in another account', '444455556666', 'svc-web', {}, 'exempt', { value: null, source: 'none' }],
      [
        'a tag owner comes before the account default',
        '111122223333',
        'frank',
        { 'slack-owner': 'U0TAGOWNER1' },
        'non_compliant',
        { value: 'U0TAGOWNER1', source: 'tag:slack-owner' },
      ],
    ])('%s', (_name, accountId, userName, tags, status, owner) => {
      const result = evaluateUser({
        accountId,
        user: user(1000, userName),
        observation: checked(true, false),
        tags,
        ownersFile: OWNERS,
        policy: POLICY,
        now: NOW,
      });
      expect(result.status).toBe(status);
      expect(result.owner).toMatchObject(owner);
    });
  });
});
