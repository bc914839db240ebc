import { evaluationKnowsOwner, ownerOnRecord, ownersFileOwner, ownerToRecord } from '../../src/domain/owner-record';
import { type AccountRef, parseOwnersDocument } from '../../src/domain/owners';
import type { Owner, UserStatus } from '../../src/domain/types';

const FILE = parseOwnersDocument(
  {
    users: {
      alice: 'U012ABCDEF',
      'svc-*': 'platform@example.com',
      'legacy-*': { exempt: 'Decommissioned 2027-01' },
      '111122223333/svc-deploy': { exempt: 'Deploys from CI only' },
      '444455556666/svc-deploy': 'U0DEPLOYB01',
      '444455556666/erin': 'U0ERIN0001',
    },
    accounts: { '111122223333': 'U0ACCTDEF1' },
  },
  'owners.yml',
);
const A: AccountRef = { accountId: '111122223333', alias: null };
const B: AccountRef = { accountId: '444455556666', alias: null };

const ALICE: Owner = { kind: 'slack', value: 'U012ABCDEF', source: 'owners-file:alice' };
const BOB_TAG: Owner = { kind: 'slack', value: 'U0BOB12345', source: 'tag:slack-owner' };
const CAROL_TAG: Owner = { kind: 'email', value: 'carol@example.com', source: 'tag:owner-email' };
const BY_NAME: Owner = { kind: 'email', value: 'dana@example.com', source: 'user-name' };
const NOBODY: Owner = { kind: 'unowned', value: null, source: 'none' };
const STALE_FILE: Owner = { kind: 'slack', value: 'U0FORMER01', source: 'owners-file:bob' };

describe('ownersFileOwner', () => {
  const SVC = { kind: 'email', value: 'platform@example.com', source: 'owners-file:svc-*' } satisfies Owner;
  it.each<[string, AccountRef | null, Owner | null]>([
    ['alice', A, ALICE],
    // A scoped exemption-only entry names no owner: the unscoped glob still does.
    ['svc-deploy', A, SVC],
    ['svc-deploy', B, { kind: 'slack', value: 'U0DEPLOYB01', source: 'owners-file:444455556666/svc-deploy' }],
    // An entry with an exemption only names no owner: tags decide.
    ['legacy-app', A, null],
    // The account default is a fallback below tags, not an owner the file names.
    ['bob', A, null],
    // No scan yet, so no account: an entry for every account answers only when no scoped one could outrank it.
    ['alice', null, ALICE],
    ['svc-x', null, SVC],
    ['svc-deploy', null, null],
    ['erin', null, null],
  ])('%s in %j → %j', (userName, account, owner) => {
    expect(ownersFileOwner(FILE, account, userName)).toEqual(owner);
  });
});

describe('evaluationKnowsOwner', () => {
  const TAGS = { 'slack-owner': 'U0BOB12345' };
  it.each<[string, string, Record<string, string> | null, UserStatus, boolean]>([
    ['tags read, check succeeded', 'bob', TAGS, 'non_compliant', true],
    ['tags read, no owner tag: the fallback is certain too', 'frank', {}, 'non_compliant', true],
    ['tags read of a compliant user (a live check)', 'carol', {}, 'compliant', true],
    ['tags not read (a scan reads them only for offenders)', 'carol', null, 'compliant', false],
    ['the check failed before the tags', 'bob', null, 'error', false],
    ['the check failed although the tags were read', 'bob', TAGS, 'error', false],
    ['the owners file names the owner, tags not read', 'alice', null, 'compliant', true],
    ['the owners file names the owner of a user that could not be checked', 'svc-deploy', null, 'error', true],
    ['an exemption-only entry names no owner', 'legacy-app', null, 'error', false],
    ['an account default with tags read (none named an owner)', 'frank', {}, 'non_compliant', true],
    ['an account default with tags not read is a fallback', 'frank', null, 'compliant', false],
    ['an account default when the check failed is a fallback', 'frank', null, 'error', false],
  ])('%s', (_label, userName, tags, status, known) => {
    expect(evaluationKnowsOwner({ accountId: '111122223333', userName, tags, ownersFile: FILE, status })).toBe(known);
  });
});

describe('ownerToRecord', () => {
  it.each<[string, Owner | null, Owner, boolean, Owner | null]>([
    ['a known owner is recorded on a finding with none', null, BOB_TAG, true, BOB_TAG],
    ['a known owner replaces the recorded one', BOB_TAG, CAROL_TAG, true, CAROL_TAG],
    ['a fallback never replaces a recorded owner', BOB_TAG, NOBODY, false, BOB_TAG],
    ['a fallback by name never replaces a recorded owner', BOB_TAG, BY_NAME, false, BOB_TAG],
    ['a fallback is never recorded where none was', null, NOBODY, false, null],
  ])('%s', (_label, recorded, evaluated, known, kept) => {
    expect(ownerToRecord(recorded, evaluated, known)).toEqual(kept);
  });
});

const DEFAULT: Owner = { kind: 'slack', value: 'U0ACCTDEF1', source: 'account-default:111122223333' };
const FORMER_DEFAULT: Owner = { kind: 'slack', value: 'U0FORMERDEF', source: 'account-default:111122223333' };

describe('ownerOnRecord', () => {
  const state = (status: UserStatus, owner: Owner) => ({ status, owner });
  it.each<[string, Owner | null, Owner | null, ReturnType<typeof state> | null, Owner | null]>([
    ['an account default on a finding counts while it is the default', null, DEFAULT, state('error', NOBODY), DEFAULT],
    ['a former account default on a finding does not', null, FORMER_DEFAULT, state('error', NOBODY), null],
    ['an offender with the account default (tags read)', null, null, state('non_compliant', DEFAULT), DEFAULT],
    ['a compliant user with the account default: tags never read', null, null, state('compliant', DEFAULT), null],
    ['an offender with a former account default', null, null, state('non_compliant', FORMER_DEFAULT), null],
    ['the owners file decides first', ALICE, BOB_TAG, state('error', NOBODY), ALICE],
    ['then the finding (bob could not be checked this time)', null, BOB_TAG, state('error', NOBODY), BOB_TAG],
    ['a finding owner from a file entry since removed is not trusted', null, STALE_FILE, state('error', NOBODY), null],
    ['an offender had its tags read', null, null, state('non_compliant', BOB_TAG), BOB_TAG],
    ['an offender without an owner tag: its name is certain', null, null, state('non_compliant', BY_NAME), BY_NAME],
    ['a user in grace had its tags read', null, null, state('grace', NOBODY), NOBODY],
    ['an exempt user had its tags read', null, null, state('exempt', BY_NAME), BY_NAME],
    ['a compliant user with a tag owner (a live check read it)', null, null, state('compliant', CAROL_TAG), CAROL_TAG],
    ['a compliant user: its tags were never read', null, null, state('compliant', BY_NAME), null],
    ['a user without a console password: tags never read', null, null, state('no_console', NOBODY), null],
    ['an error without a finding: no record', null, null, state('error', BY_NAME), null],
    ['a state from a file entry since removed', null, null, state('non_compliant', STALE_FILE), null],
    ['a user no scan has seen', null, null, null, null],
    ['a user no scan has seen, named by the owners file', ALICE, null, null, ALICE],
  ])('%s', (_label, ownersFile, finding, lastState, owner) => {
    expect(ownerOnRecord({ ownersFile, accountDefault: DEFAULT, finding, lastState })).toEqual(owner);
  });
});
