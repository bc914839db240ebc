import {
  EMPTY_OWNERS_FILE,
  findExemption,
  findOwnersEntry,
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

describe('parseOwnersDocument', () => {
  it('parses every entry shape, normalizing owners and trimming reasons', () => {
    expect(FILE.source).toBe(SOURCE);
    expect(FILE.entries).toEqual([
      { pattern: 'svc-*', owner: { kind: 'email', value: 'platform@example.com' }, exempt: null },
      { pattern: 'svc-c?', owner: { kind: 'slack', value: 'U0GLOBSECOND' }, exempt: null },
      { pattern: 'svc-ci', owner: { kind: 'slack', value: 'U0EXACT001' }, exempt: null },
      {
        pattern: 'breakglass',
        owner: { kind: 'slack', value: 'U0SECURITY1' },
        exempt: 'Break-glass account; hardware token in the safe',
      },
      { pattern: 'legacy-*', owner: null, exempt: 'Decommissioned 2027-01' },
      { pattern: 'legacy-keep', owner: { kind: 'slack', value: 'W0KEEPER01' }, exempt: null },
      { pattern: 'ghost-*', owner: null, exempt: 'ghosts' },
    ]);
  });

  it('accepts an empty users mapping', () => {
    expect(parseOwnersDocument({ users: {} }, 'x.yml')).toEqual({ source: 'x.yml', entries: [] });
  });

  it('has an empty constant for "no owners file"', () => {
    expect(EMPTY_OWNERS_FILE).toEqual({ source: '', entries: [] });
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
      'a slash in a pattern',
      { users: { 'team/alice': 'U012ABCDEF' } },
      'users.team/alice',
      'key must be an IAM user name or glob',
    ],
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

describe('findOwnersEntry', () => {
  it.each([
    ['svc-ci', 'svc-ci'], // exact beats globs listed before it
    ['svc-cd', 'svc-*'], // first glob in file order, though svc-c? matches too
    ['svc-x', 'svc-*'],
    ['breakglass', 'breakglass'],
    ['legacy-old', 'legacy-*'],
    ['legacy-keep', 'legacy-keep'],
    ['Breakglass', null], // case-sensitive
    ['alice', null],
  ])('%s → %p', (userName, pattern) => {
    expect(findOwnersEntry(FILE, userName)?.pattern ?? null).toBe(pattern);
  });

  it('finds nothing in the empty file', () => {
    expect(findOwnersEntry(EMPTY_OWNERS_FILE, 'alice')).toBeNull();
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
    expect(resolveOwner({ userName, tags, ownersFile: FILE, ownerTagKeys: [...OWNER_KEYS, 'constructor'] })).toEqual(
      expected,
    );
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
    ['exact owner-only entry does not inherit a glob exemption', 'legacy-keep', null, null],
    [
      'exact owner-only entry still honours the tag',
      'legacy-keep',
      { [KEY]: 'kept on purpose' },
      { reason: 'kept on purpose', source: `tag:${KEY}` },
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
    expect(findExemption({ userName, tags, ownersFile: FILE, exemptTagKey: KEY })).toEqual(expected);
  });
});
