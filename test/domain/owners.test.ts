import {
  type AccountRef,
  EMPTY_OWNERS_FILE,
  exemptionEntry,
  findExemption,
  ownerEntry,
  type OwnersFile,
  parseOwnersDocument,
  resolveOwner,
} from '../../src/domain/owners';
import type { Tags } from '../../src/domain/types';
import { AppError } from '../../src/errors';

const SOURCE = '/etc/mfa-guard/owners.yml';

const FILE: OwnersFile = parseOwnersDocument(
  {
    users: {
      'svc-*': 'platform@example.com',
      'svc-c?': 'U0GLOBSECOND',
      'svc-ci': { owner: '<@U0EXACT001>' },
      breakglass: { owner: 'U0SECURITY1', exempt: '  Break-glass account; hardware token in the safe ' },
      'legacy-*': { exempt: 'Decommissioned 2027-01' },
      'legacy-keep': { owner: 'W0KEEPER01' },
      'ghost-*': { exempt: 'ghosts' },
    },
  },
  SOURCE,
);

const OWNER_KEYS = ['owner', 'Owner', 'team-email'] as const;
const PROD: AccountRef = { accountId: '111122223333', alias: null };

describe('parseOwnersDocument', () => {
  it('parses every entry shape, normalizing owners and trimming reasons', () => {
    expect(FILE.source).toBe(SOURCE);
    expect(FILE.entries).toEqual([
      {
        pattern: 'svc-*',
        account: null,
        name: 'svc-*',
        owner: { kind: 'email', value: 'platform@example.com' },
        exempt: null,
      },
      {
        pattern: 'svc-c?',
        account: null,
        name: 'svc-c?',
        owner: { kind: 'slack', value: 'U0GLOBSECOND' },
        exempt: null,
      },
      { pattern: 'svc-ci', account: null, name: 'svc-ci', owner: { kind: 'slack', value: 'U0EXACT001' }, exempt: null },
      {
        pattern: 'breakglass',
        account: null,
        name: 'breakglass',
        owner: { kind: 'slack', value: 'U0SECURITY1' },
        exempt: 'Break-glass account; hardware token in the safe',
      },
      { pattern: 'legacy-*', account: null, name: 'legacy-*', owner: null, exempt: 'Decommissioned 2027-01' },
      {
        pattern: 'legacy-keep',
        account: null,
        name: 'legacy-keep',
        owner: { kind: 'slack', value: 'W0KEEPER01' },
        exempt: null,
      },
      { pattern: 'ghost-*', account: null, name: 'ghost-*', owner: null, exempt: 'ghosts' },
    ]);
  });

  it('accepts an empty users mapping', () => {
    expect(parseOwnersDocument({ users: {} }, 'x.yml')).toEqual({ source: 'x.yml', entries: [], accounts: [] });
  });

  it('has an empty constant for "no owners file"', () => {
    expect(EMPTY_OWNERS_FILE).toEqual({ source: '', entries: [], accounts: [] });
  });

  const errorOf = (doc: unknown): AppError => {
    try {
      parseOwnersDocument(doc, SOURCE);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected parseOwnersDocument to throw');
  };

  it.each([
    ['null (empty file)', null, 'top level', 'found nothing'],
    ['a list', [], 'top level', 'found a list'],
    ['a string', 'users', 'top level', 'must be a mapping'],
    ['no users key', {}, 'users', 'is missing'],
    ['users as a list', { users: ['alice'] }, 'users', 'found a list'],
    ['users empty (null)', { users: null }, 'users', 'found nothing'],
    ['an unknown top-level key', { users: {}, groups: {} }, 'groups', 'unknown top-level key'],
    [
      'a bad owner string',
      { users: { alice: 'alice' } },
      'users.alice',
      '"alice" is not a Slack user ID or an email address',
    ],
    ['a channel id', { users: { alice: 'C012ABCDEF' } }, 'users.alice', 'is not a Slack user ID'],
    ['a null value', { users: { alice: null } }, 'users.alice', 'found nothing'],
    ['a number value', { users: { alice: 42 } }, 'users.alice', 'found the number 42'],
    ['a list value', { users: { alice: ['U012ABCDEF'] } }, 'users.alice', 'found a list'],
    ['an empty mapping', { users: { alice: {} } }, 'users.alice', 'needs "owner", "exempt" or both'],
    [
      'an unknown entry key',
      { users: { alice: { owner: 'U012ABCDEF', exempted: 'x' } } },
      'users.alice.exempted',
      'unknown key',
    ],
    [
      'a non-string owner',
      { users: { alice: { owner: true } } },
      'users.alice.owner',
      'owner must be a string, found the boolean true',
    ],
    [
      'an invalid owner in a mapping',
      { users: { alice: { owner: 'nobody' } } },
      'users.alice.owner',
      '"nobody" is not a Slack user ID',
    ],
    ['an empty reason', { users: { alice: { exempt: '   ' } } }, 'users.alice.exempt', 'reason is empty'],
    ['a non-string reason', { users: { alice: { exempt: true } } }, 'users.alice.exempt', 'must be a string'],
    [
      'a too-long reason',
      { users: { alice: { exempt: 'x'.repeat(1001) } } },
      'users.alice.exempt',
      '1001 characters; the limit is 1000',
    ],
    [
      'a space in a pattern',
      { users: { 'bad name': 'U012ABCDEF' } },
      'users.bad name',
      'key must be an IAM user name or glob',
    ],
    [
      'an account id with 11 digits',
      { users: { '11112222333/alice': 'U012ABCDEF' } },
      'users.11112222333/alice',
      'account part "11112222333" has 11 digits; an account id has 12',
    ],
    [
      'an account alias in upper case',
      { users: { 'Prod/alice': 'U012ABCDEF' } },
      'users.Prod/alice',
      'account part "Prod" must be a 12-digit account id or an account alias',
    ],
    [
      'an account alias with an underscore',
      { users: { 'my_prod/alice': 'U012ABCDEF' } },
      'users.my_prod/alice',
      'account part "my_prod" must be',
    ],
    ['an empty account part', { users: { '/alice': 'U012ABCDEF' } }, 'users./alice', 'account part is empty'],
    [
      'an empty name after the account',
      { users: { '111122223333/': 'U012ABCDEF' } },
      'users.111122223333/',
      'the user name after the account is empty',
    ],
    [
      'a second slash',
      { users: { 'prod/team/alice': 'U012ABCDEF' } },
      'users.prod/team/alice',
      'the part after the account must be an IAM user name or glob',
    ],
    [
      'exempt: true (a reason is required)',
      { users: { alice: { exempt: true } } },
      'users.alice.exempt',
      'or false to lift an exemption, found the boolean true',
    ],
    ['accounts as a list', { users: {}, accounts: ['111122223333'] }, 'accounts', 'found a list'],
    [
      'an account key with 5 digits',
      { users: {}, accounts: { '12345': 'U012ABCDEF' } },
      'accounts.12345',
      'key "12345" has 5 digits; an account id has 12',
    ],
    [
      'a bad account alias key',
      { users: {}, accounts: { 'Prod!': 'U012ABCDEF' } },
      'accounts.Prod!',
      'key "Prod!" must be a 12-digit account id or an account alias',
    ],
    [
      'a bad account default owner',
      { users: {}, accounts: { '111122223333': 'nobody' } },
      'accounts.111122223333',
      '"nobody" is not a Slack user ID or an email address',
    ],
    [
      'an account default in a mapping without owner',
      { users: {}, accounts: { '111122223333': {} } },
      'accounts.111122223333',
      'needs "owner"',
    ],
    [
      'an account default with an exemption',
      { users: {}, accounts: { '111122223333': { owner: 'U012ABCDEF', exempt: 'x' } } },
      'accounts.111122223333.exempt',
      'unknown key; the only key allowed is "owner"',
    ],
    [
      'a bad owner in an account default mapping',
      { users: {}, accounts: { prod: { owner: 42 } } },
      'accounts.prod.owner',
      'owner must be a string, found the number 42',
    ],
    ['an empty account default', { users: {}, accounts: { prod: null } }, 'accounts.prod', 'found nothing'],
    [
      'a 65-character pattern',
      { users: { ['a'.repeat(65)]: 'U012ABCDEF' } },
      `users.${'a'.repeat(65)}`,
      '1-64 characters',
    ],
    ['an empty pattern', { users: { '': 'U012ABCDEF' } }, 'users.', 'key must be'],
  ])('rejects %s, naming the file, the key and the problem', (_name, doc, where, what) => {
    const error = errorOf(doc);
    expect(error.code).toBe('owners_file_invalid');
    expect(error.message).toContain(`${SOURCE}: ${where}: `);
    expect(error.message).toContain(what);
    expect(error.message).toMatch(/\(e\.g\. .+\)/);
    expect(error.hint).toContain('restart');
  });

  it('accepts a 64-character pattern and a 1000-character reason', () => {
    const file = parseOwnersDocument({ users: { ['a'.repeat(64)]: { exempt: 'x'.repeat(1000) } } }, SOURCE);
    expect(file.entries).toHaveLength(1);
  });

  it('parses account-scoped keys, exempt: false and account defaults', () => {
    const file = parseOwnersDocument(
      {
        users: {
          '111122223333/svc-*': { exempt: false },
          'prod-eu/alice': 'alice@example.com',
        },
        accounts: { '111122223333': 'U0PLATFORM1', 'prod-eu': { owner: '<@U0PLATFORM2>' } },
      },
      SOURCE,
    );
    expect(file).toEqual({
      source: SOURCE,
      entries: [
        { pattern: '111122223333/svc-*', account: '111122223333', name: 'svc-*', owner: null, exempt: false },
        {
          pattern: 'prod-eu/alice',
          account: 'prod-eu',
          name: 'alice',
          owner: { kind: 'email', value: 'alice@example.com' },
          exempt: null,
        },
      ],
      accounts: [
        { account: '111122223333', owner: { kind: 'slack', value: 'U0PLATFORM1' } },
        { account: 'prod-eu', owner: { kind: 'slack', value: 'U0PLATFORM2' } },
      ],
    });
  });

  it('collects every problem into one error', () => {
    const error = errorOf({
      users: { alice: 'nobody', 'bad name': 'U012ABCDEF', bob: { exempt: '' }, carol: 'U012ABCDEF' },
      extra: 1,
    });
    expect(error.message).toContain('4 problems');
    for (const where of ['extra', 'users.alice', 'users.bad name', 'users.bob.exempt']) {
      expect(error.message).toContain(`${SOURCE}: ${where}: `);
    }
    expect(error.message).not.toContain('users.carol');
    expect(error.message.split('\n')).toHaveLength(5);
  });
});

describe('ownerEntry and exemptionEntry (unscoped entries)', () => {
  it.each([
    ['svc-ci', 'svc-ci', null], // exact beats globs listed before it
    ['svc-cd', 'svc-*', null], // first glob in file order, though svc-c? matches too
    ['svc-x', 'svc-*', null],
    ['breakglass', 'breakglass', 'breakglass'],
    ['legacy-old', null, 'legacy-*'],
    ['legacy-keep', 'legacy-keep', 'legacy-*'], // an owner-only exact entry keeps the glob's exemption
    ['Breakglass', null, null], // case-sensitive
    ['alice', null, null],
  ])('%s → owner from %p, exemption from %p', (userName, owner, exemption) => {
    expect(ownerEntry(FILE, PROD, userName)?.pattern ?? null).toBe(owner);
    expect(exemptionEntry(FILE, PROD, userName)?.pattern ?? null).toBe(exemption);
  });

  it('finds nothing in the empty file', () => {
    expect(ownerEntry(EMPTY_OWNERS_FILE, PROD, 'alice')).toBeNull();
    expect(exemptionEntry(EMPTY_OWNERS_FILE, PROD, 'alice')).toBeNull();
  });
});

describe('resolveOwner', () => {
  it.each<[string, string, Tags | null, { kind: string; value: string | null; source: string }]>([
    [
      'exact file entry beats tags',
      'svc-ci',
      { owner: 'U0TAGOWNER1' },
      { kind: 'slack', value: 'U0EXACT001', source: 'owners-file:svc-ci' },
    ],
    [
      'glob file entry beats tags',
      'svc-deploy',
      { owner: 'U0TAGOWNER1' },
      { kind: 'email', value: 'platform@example.com', source: 'owners-file:svc-*' },
    ],
    [
      'first matching glob wins',
      'svc-cd',
      null,
      { kind: 'email', value: 'platform@example.com', source: 'owners-file:svc-*' },
    ],
    [
      'file beats an email user name',
      'breakglass',
      null,
      { kind: 'slack', value: 'U0SECURITY1', source: 'owners-file:breakglass' },
    ],
    [
      'exempt-only entry falls through to tags',
      'legacy-old',
      { owner: 'U0TAGOWNER1' },
      { kind: 'slack', value: 'U0TAGOWNER1', source: 'tag:owner' },
    ],
    [
      'tags in configured order',
      'alice',
      { 'team-email': 'team@example.com', Owner: 'U0SECONDKEY', owner: 'U0FIRSTKEY1' },
      { kind: 'slack', value: 'U0FIRSTKEY1', source: 'tag:owner' },
    ],
    [
      'tag keys are exact (case)',
      'alice',
      { OWNER: 'U0FIRSTKEY1', Owner: 'U0SECONDKEY' },
      { kind: 'slack', value: 'U0SECONDKEY', source: 'tag:Owner' },
    ],
    [
      'invalid tag value is skipped',
      'alice',
      { owner: 'Alice from ops', 'team-email': ' team@example.com ' },
      { kind: 'email', value: 'team@example.com', source: 'tag:team-email' },
    ],
    [
      'mention form in a tag',
      'alice',
      { owner: '<@U0MENTION1>' },
      { kind: 'slack', value: 'U0MENTION1', source: 'tag:owner' },
    ],
    [
      'unlisted tag keys are ignored',
      'alice',
      { manager: 'U0MANAGER01' },
      { kind: 'unowned', value: null, source: 'none' },
    ],
    [
      'user name that is an email',
      'a.b@example.com',
      {},
      { kind: 'email', value: 'a.b@example.com', source: 'user-name' },
    ],
    [
      'tags beat an email user name',
      'a.b@example.com',
      { owner: 'U0TAGOWNER1' },
      { kind: 'slack', value: 'U0TAGOWNER1', source: 'tag:owner' },
    ],
    ['null tags skip tags', 'a.b@example.com', null, { kind: 'email', value: 'a.b@example.com', source: 'user-name' }],
    [
      'a Slack-ID-looking user name is not an owner',
      'U012ABCDEF',
      null,
      { kind: 'unowned', value: null, source: 'none' },
    ],
    ['nothing matches', 'alice', null, { kind: 'unowned', value: null, source: 'none' }],
    [
      'all tags invalid',
      'alice',
      { owner: 'x', Owner: '', 'team-email': 'not-an-email' },
      { kind: 'unowned', value: null, source: 'none' },
    ],
    ['inherited object keys are not tags', 'alice', {}, { kind: 'unowned', value: null, source: 'none' }],
  ])('%s', (_name, userName, tags, expected) => {
    expect(
      resolveOwner({ account: PROD, userName, tags, ownersFile: FILE, ownerTagKeys: [...OWNER_KEYS, 'constructor'] }),
    ).toEqual(expected);
  });
});

describe('findExemption', () => {
  const KEY = 'mfa-guard:exempt';
  it.each<[string, string, Tags | null, { reason: string; source: string } | null]>([
    [
      'file entry with a reason',
      'breakglass',
      null,
      { reason: 'Break-glass account; hardware token in the safe', source: 'owners-file:breakglass' },
    ],
    [
      'file beats tag',
      'breakglass',
      { [KEY]: 'tag reason' },
      { reason: 'Break-glass account; hardware token in the safe', source: 'owners-file:breakglass' },
    ],
    ['glob entry', 'legacy-old', null, { reason: 'Decommissioned 2027-01', source: 'owners-file:legacy-*' }],
    [
      'an exact owner-only entry keeps a glob exemption',
      'legacy-keep',
      null,
      { reason: 'Decommissioned 2027-01', source: 'owners-file:legacy-*' },
    ],
    [
      'tag with a reason, trimmed',
      'alice',
      { [KEY]: '  shared kiosk ' },
      { reason: 'shared kiosk', source: `tag:${KEY}` },
    ],
    [
      'tag with no reason',
      'alice',
      { [KEY]: '  ' },
      { reason: `(no reason given in tag ${KEY})`, source: `tag:${KEY}` },
    ],
    ['tag key is exact', 'alice', { 'MFA-GUARD:EXEMPT': 'x' }, null],
    ['no tag', 'alice', { owner: 'U0TAGOWNER1' }, null],
    ['null tags', 'alice', null, null],
  ])('%s', (_name, userName, tags, expected) => {
    expect(findExemption({ account: PROD, userName, tags, ownersFile: FILE, exemptTagKey: KEY })).toEqual(expected);
  });
});

// Account 111122223333 (alias "prod" when known) and account 444455556666.
const A: AccountRef = { accountId: '111122223333', alias: null };
const A_PROD: AccountRef = { accountId: '111122223333', alias: 'prod' };
const B: AccountRef = { accountId: '444455556666', alias: null };
const B_STAGING: AccountRef = { accountId: '444455556666', alias: 'staging' };

const SCOPED: OwnersFile = parseOwnersDocument(
  {
    users: {
      'ops-*': { owner: 'U0OPSGLOB1', exempt: 'Break-glass operators' },
      'ops-admin': 'U0OPSADMIN',
      '111122223333/ops-*': { exempt: false },
      '111122223333/ops-oncall': 'U0ONCALL01',
      '444455556666/ops-oncall': 'U0ONCALL02',
      'prod/deploy': 'U0DEPLOY01',
      deploy: 'U0DEPLOYANY',
      'ro-*': 'U0ROFIRST1',
      'ro-a*': 'U0ROSECOND',
      '111122223333/ro-*': 'U0ROSCOPED',
      '111122223333/ro-admin': 'U0ROADMIN1',
      '111122223333/ro-audit': { exempt: 'Read-only auditor; signs in from the audit laptop' },
      'kiosk-*': { exempt: 'Shared kiosks; locked down by SCP' },
      '444455556666/kiosk-lobby': 'U0LOBBY001',
    },
  },
  SOURCE,
);

describe('account-scoped entries: owner and exemption each by precedence', () => {
  it.each<[string, AccountRef, string, string | null, string | null]>([
    ['a scoped owner-only entry keeps an unscoped exemption', B, 'kiosk-lobby', '444455556666/kiosk-lobby', 'kiosk-*'],
    ['exempt: false in a scoped glob lifts the unscoped glob exemption', A, 'ops-x', 'ops-*', '111122223333/ops-*'],
    ['the same glob elsewhere is still exempt', B, 'ops-x', 'ops-*', 'ops-*'],
    ['a scoped glob outranks an unscoped exact entry', A, 'ops-admin', 'ops-admin', '111122223333/ops-*'],
    ['unscoped exact beats unscoped glob', B, 'ops-admin', 'ops-admin', 'ops-*'],
    ['one user name, account A', A, 'ops-oncall', '111122223333/ops-oncall', '111122223333/ops-*'],
    ['one user name, account B', B, 'ops-oncall', '444455556666/ops-oncall', 'ops-*'],
    ['scoped beats unscoped', A, 'ro-abc', '111122223333/ro-*', null],
    ['exact beats glob within a scope', A, 'ro-admin', '111122223333/ro-admin', null],
    ['the first glob in file order', B, 'ro-abc', 'ro-*', null],
    [
      'a scoped exemption-only entry leaves the owner to the scoped glob',
      A,
      'ro-audit',
      '111122223333/ro-*',
      '111122223333/ro-audit',
    ],
    ['an alias-scoped key with the alias unknown does not match', A, 'deploy', 'deploy', null],
    ['an alias-scoped key with the alias known matches', A_PROD, 'deploy', 'prod/deploy', null],
    ['an alias-scoped key for another alias does not match', B_STAGING, 'deploy', 'deploy', null],
  ])('%s', (_name, account, userName, owner, exemption) => {
    expect(ownerEntry(SCOPED, account, userName)?.pattern ?? null).toBe(owner);
    expect(exemptionEntry(SCOPED, account, userName)?.pattern ?? null).toBe(exemption);
  });

  it.each<[string, AccountRef, string, Tags | null, { reason: string; source: string } | null]>([
    [
      'an owner-only scoped entry: still exempt',
      B,
      'kiosk-lobby',
      null,
      { reason: 'Shared kiosks; locked down by SCP', source: 'owners-file:kiosk-*' },
    ],
    ['lifted by exempt: false', A, 'ops-x', null, null],
    ['exempt: false lifts a tag exemption too', A, 'ops-x', { 'mfa-exempt': 'said the tag' }, null],
    ['exempt elsewhere', B, 'ops-x', null, { reason: 'Break-glass operators', source: 'owners-file:ops-*' }],
  ])('findExemption: %s', (_name, account, userName, tags, expected) => {
    expect(findExemption({ account, userName, tags, ownersFile: SCOPED, exemptTagKey: 'mfa-exempt' })).toEqual(
      expected,
    );
  });

  it.each<[AccountRef, string, string, string]>([
    [A, 'ops-oncall', 'U0ONCALL01', 'owners-file:111122223333/ops-oncall'],
    [B, 'ops-oncall', 'U0ONCALL02', 'owners-file:444455556666/ops-oncall'],
    [A_PROD, 'deploy', 'U0DEPLOY01', 'owners-file:prod/deploy'],
  ])('resolveOwner in %j: %s → %s from %s', (account, userName, value, source) => {
    expect(resolveOwner({ account, userName, tags: null, ownersFile: SCOPED, ownerTagKeys: ['owner'] })).toEqual({
      kind: 'slack',
      value,
      source,
    });
  });
});

describe('the account default owner (accounts:)', () => {
  const WITH_DEFAULTS = parseOwnersDocument(
    {
      users: { 'svc-*': { exempt: 'Service accounts' }, 'team-*': 'U0TEAMOWNER' },
      accounts: {
        prod: { owner: 'cloud-team@example.com' },
        '111122223333': 'U0ACCTDEF1',
        '444455556666': { owner: 'U0ACCTDEF2' },
      },
    },
    SOURCE,
  );
  const C: AccountRef = { accountId: '777788889999', alias: null };
  const C_PROD: AccountRef = { accountId: '777788889999', alias: 'prod' };
  const DEFAULT_A = { kind: 'slack', value: 'U0ACCTDEF1', source: 'account-default:111122223333' };

  it.each<[string, AccountRef, string, Tags | null, { kind: string; value: string | null; source: string }]>([
    [
      'an owners-file entry comes first',
      A,
      'team-a',
      {},
      { kind: 'slack', value: 'U0TEAMOWNER', source: 'owners-file:team-*' },
    ],
    [
      'tags come before it',
      A,
      'frank',
      { owner: 'U0TAGOWNER1' },
      { kind: 'slack', value: 'U0TAGOWNER1', source: 'tag:owner' },
    ],
    [
      'an email user name comes before it',
      A,
      'dana@example.com',
      {},
      { kind: 'email', value: 'dana@example.com', source: 'user-name' },
    ],
    ['then the account default', A, 'frank', {}, DEFAULT_A],
    ['with tags not read too', A, 'frank', null, DEFAULT_A],
    ['an exemption-only entry leaves it to the default', A, 'svc-x', {}, DEFAULT_A],
    [
      'each account its own',
      B,
      'frank',
      {},
      { kind: 'slack', value: 'U0ACCTDEF2', source: 'account-default:444455556666' },
    ],
    ['an id key beats an alias key listed before it', A_PROD, 'frank', {}, DEFAULT_A],
    [
      'an alias key when the alias is known, the source naming the account id',
      C_PROD,
      'frank',
      {},
      { kind: 'email', value: 'cloud-team@example.com', source: 'account-default:777788889999' },
    ],
    ['an alias key with the alias unknown: unowned', C, 'frank', {}, { kind: 'unowned', value: null, source: 'none' }],
  ])('%s', (_name, account, userName, tags, expected) => {
    expect(resolveOwner({ account, userName, tags, ownersFile: WITH_DEFAULTS, ownerTagKeys: ['owner'] })).toEqual(
      expected,
    );
  });
});
