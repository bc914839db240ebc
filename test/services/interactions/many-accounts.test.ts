/**
 * Interactions over several AWS accounts: every click, lookup and removal acts in its user's own
 * account, with that account's gateway (fixedAccounts over one InMemoryIam per account). The same
 * IAM user name lives in two accounts with two owners (alice: ALICE in acme-prod by the owners file,
 * BOB in acme-dev by an account-scoped key).
 */
import { ownersSourceFromYaml } from '../../../src/adapters/memory/fixed-owners-source';
import type { IamOperation } from '../../../src/adapters/memory/in-memory-iam';
import { SAMPLE_ACCOUNT_ID, SAMPLE_OWNERS_FILE_YAML } from '../../../src/adapters/memory/sample-account';
import { findingRef } from '../../../src/domain/notifications';
import { AppError } from '../../../src/errors';
import { startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  APPROVER2,
  APPROVER2_PERSON,
  BOB,
  buttonsIn,
  deleteCalls,
  DEV_ACCOUNT_ID,
  otherAccount,
  SAMPLE_START,
  seen,
  STRANGER,
  TEST_ACCOUNT_ID,
} from '../../support/sample-world';

const DEV_ALICE = 'AIDADEVALICE000000001';
const DEV_BOB = 'AIDADEVBOB00000000001';
const TEST_ZED = 'AIDATESTZED0000000001';
const PROD = '`acme-prod` (`111122223333`)';
const DEV = '`acme-dev` (`555566667777`)';
const TEST = '`acme-test` (`777788889999`)';

const owners = ownersSourceFromYaml(`${SAMPLE_OWNERS_FILE_YAML}  ${DEV_ACCOUNT_ID}/alice: ${BOB}\n`, 'owners file');

/** The sample account (home), acme-dev and acme-test, each scanned once. */
const threeAccounts = async (options: { readonly scanTest?: boolean } = {}): Promise<World> => {
  // The world's own scan covers every account; one that must stay unscanned scans them one by one.
  const w = await startWorld({
    ...(options.scanTest === false ? { scan: false } : {}),
    owners,
    env: { APPROVERS: `${APPROVER},${APPROVER2}` },
    people: [APPROVER2_PERSON],
    accounts: [
      otherAccount(
        DEV_ACCOUNT_ID,
        'acme-dev',
        [
          { userName: 'alice', userId: DEV_ALICE },
          { userName: 'bob', userId: DEV_BOB, tags: { 'slack-owner': BOB } },
        ],
        SAMPLE_START,
      ),
      otherAccount(
        TEST_ACCOUNT_ID,
        'acme-test',
        [{ userName: 'zed', userId: TEST_ZED, tags: { 'slack-owner': ALICE } }],
        SAMPLE_START,
      ),
    ],
  });
  if (options.scanTest === false) expect((await w.scanAccount(SAMPLE_ACCOUNT_ID)).outcome).toBe('completed');
  expect((await w.scanAccount(DEV_ACCOUNT_ID)).outcome).toBe('completed');
  if (options.scanTest !== false) expect((await w.scanAccount(TEST_ACCOUNT_ID)).outcome).toBe('completed');
  return w;
};

const iamOf = (w: World, accountId: string) => {
  const iam = w.iams.get(accountId);
  if (iam === undefined) throw new Error(`no IAM for ${accountId}`);
  return iam;
};

/** The IAM calls `act` made in each account, once everything it started has finished. */
const callsOf = async (w: World, act: () => Promise<unknown>): Promise<Record<string, IamOperation[]>> => {
  const before = new Map([...w.iams].map(([id, iam]) => [id, iam.calls.length] as const));
  await act();
  await w.idle();
  return Object.fromEntries(
    [...w.iams].map(([id, iam]) => [id, iam.calls.slice(before.get(id) ?? 0).map((c) => c.operation)] as const),
  );
};

const NO_CALLS = { [SAMPLE_ACCOUNT_ID]: [], [DEV_ACCOUNT_ID]: [], [TEST_ACCOUNT_ID]: [] };

const openFindingRef = async (w: World, accountId: string, userName: string): Promise<string> => {
  const finding = (await w.stores.findings.open(accountId)).find((f) => f.userName === userName);
  if (finding === undefined) throw new Error(`no open finding for ${userName} in ${accountId}`);
  return findingRef(finding.id);
};

describe('the same IAM user name in two accounts, with two owners', () => {
  it('each owner sees only theirs, each qualified by its account', async () => {
    const w = await threeAccounts();
    const alice = seen((await w.command(ALICE, ''))[0]);
    expect(alice).toContain(`\`alice\` in ${PROD}`);
    expect(alice).toContain(`\`zed\` in ${TEST}`);
    expect(alice).not.toContain(DEV);

    const bob = seen((await w.command(BOB, ''))[0]);
    expect(bob).toContain(`\`alice\` in ${DEV}`);
    expect(bob).toContain(`\`bob\` in ${DEV}`);
    expect(bob).toContain(`\`bob\` in ${PROD}`);
    expect(bob).not.toContain(`\`alice\` in ${PROD}`);

    const home = JSON.stringify(await w.openHome(BOB));
    expect(home).toContain(`\`alice\` in ${DEV}`);
    expect(home).not.toContain(`\`alice\` in ${PROD}`);

    // An approver asking for bob's users sees the same, across accounts.
    const person = seen((await w.command(APPROVER, `<@${BOB}|bob>`))[0]);
    expect(person).toContain(`\`alice\` in ${DEV}`);
    expect(person).not.toContain(`\`alice\` in ${PROD}`);

    // Approvers see each account's counts.
    const approver = seen((await w.command(APPROVER, ''))[0]);
    expect(approver).toContain('AWS accounts (3)');
    expect(approver).toContain(`${DEV}: 2 need MFA`);
  });

  it("Show CLI steps gives the commands for the user's own account, with no IAM call", async () => {
    const w = await threeAccounts();
    const value = await openFindingRef(w, DEV_ACCOUNT_ID, 'alice');
    let steps = '';
    const calls = await callsOf(w, async () => {
      await w.services.showSteps({ userId: BOB, value, triggerId: 'trigger-dev-alice' });
      const modal = w.slack.modals.find((m) => m.triggerId === 'trigger-dev-alice');
      steps = seen({ blocks: modal?.view.blocks });
    });
    expect(calls).toEqual(NO_CALLS);
    expect(steps).toContain(DEV);
    expect(steps).toContain(`arn:aws:iam::${DEV_ACCOUNT_ID}:mfa/alice`);
    expect(steps).not.toContain(SAMPLE_ACCOUNT_ID);
    // Not alice's owner in acme-prod: refused there.
    await w.services.showSteps({ userId: ALICE, value, triggerId: 'trigger-dev-alice-2' });
    const refused = w.slack.modals.find((m) => m.triggerId === 'trigger-dev-alice-2');
    expect(seen({ blocks: refused?.view.blocks })).toContain('or an approver can see its steps.');
  });

  it('each owner rechecks only theirs, in the right account; a stranger is refused with no IAM call', async () => {
    const w = await threeAccounts();
    const prodAlice = await openFindingRef(w, SAMPLE_ACCOUNT_ID, 'alice');
    const devAlice = await openFindingRef(w, DEV_ACCOUNT_ID, 'alice');

    const byAlice = await callsOf(w, () => w.click(ALICE, 'mfa_recheck', prodAlice));
    expect(byAlice[SAMPLE_ACCOUNT_ID]).toContain('getUser');
    expect(byAlice[DEV_ACCOUNT_ID]).toEqual([]);

    const byBob = await callsOf(w, () => w.click(BOB, 'mfa_recheck', devAlice));
    expect(byBob[DEV_ACCOUNT_ID]).toContain('getUser');
    expect(byBob[SAMPLE_ACCOUNT_ID]).toEqual([]);

    const auditFrom = w.auditLines.length;
    let refused: unknown[] = [];
    expect(
      await callsOf(w, async () => {
        refused = [
          await w.click(ALICE, 'mfa_recheck', devAlice),
          await w.click(BOB, 'mfa_recheck', prodAlice),
          await w.click(STRANGER, 'mfa_recheck', devAlice),
          await w.click(STRANGER, 'mfa_request_removal', prodAlice),
        ];
      }),
    ).toEqual(NO_CALLS);
    for (const answer of refused) expect(seen(answer as never)).toContain('Only the');
    expect(w.audit(auditFrom).map((l) => [l.actor, l.accountId, l.outcome])).toEqual([
      [ALICE, DEV_ACCOUNT_ID, 'refused'],
      [BOB, SAMPLE_ACCOUNT_ID, 'refused'],
      [STRANGER, DEV_ACCOUNT_ID, 'refused'],
      [STRANGER, SAMPLE_ACCOUNT_ID, 'refused'],
    ]);
  });

  it('a Recheck that finds the user fixed closes the finding of that account only', async () => {
    const w = await threeAccounts();
    iamOf(w, DEV_ACCOUNT_ID).addMfaDevice('alice', {
      serialNumber: `arn:aws:iam::${DEV_ACCOUNT_ID}:mfa/alice`,
      kind: 'virtual',
      enableDate: SAMPLE_START,
    });
    const answer = await w.click(BOB, 'mfa_recheck', await openFindingRef(w, DEV_ACCOUNT_ID, 'alice'));
    expect(seen(answer)).toMatch(/MFA/);
    expect((await w.stores.findings.open(DEV_ACCOUNT_ID)).map((f) => f.userName)).toEqual(['bob']);
    expect((await w.stores.findings.open(SAMPLE_ACCOUNT_ID)).map((f) => f.userName)).toContain('alice');
  });

  it('a Recheck re-renders a DM about users of several accounts, each card in its own account', async () => {
    const w = await threeAccounts();
    // One DM about all of bob's users, as a scan over every account sends it.
    const subjects = [];
    for (const accountId of [SAMPLE_ACCOUNT_ID, DEV_ACCOUNT_ID]) {
      for (const f of await w.stores.findings.open(accountId)) {
        if ((accountId === SAMPLE_ACCOUNT_ID && f.userName === 'bob') || accountId === DEV_ACCOUNT_ID)
          subjects.push({ accountId, userName: f.userName, userId: f.userId, findingId: f.id });
      }
    }
    const posted = await w.slack.postMessage(await w.slack.openDm(BOB), { text: 'your IAM users', blocks: [] });
    await w.stores.notifications.recordMessage({
      kind: 'nudge',
      scanId: null,
      accountId: null,
      recipient: BOB,
      outcome: { status: 'sent', ...posted },
      at: w.clock.now(),
      subjects,
    });
    iamOf(w, DEV_ACCOUNT_ID).addMfaDevice('alice', {
      serialNumber: `arn:aws:iam::${DEV_ACCOUNT_ID}:mfa/alice`,
      kind: 'virtual',
      enableDate: SAMPLE_START,
    });

    expect(await w.click(BOB, 'mfa_recheck', await openFindingRef(w, DEV_ACCOUNT_ID, 'alice'), posted)).toBeNull();
    const dm = w.textAt(posted);
    expect(dm).toContain('2 IAM users in 2 AWS accounts');
    expect(dm).toContain(`\`alice\` in ${DEV} is fixed`);
    expect(dm).toContain(`*IAM user \`bob\`* in AWS account ${PROD}`);
    expect(dm).toContain(`*IAM user \`bob\`* in AWS account ${DEV}`);
    expect(w.slack.refused).toEqual([]);
  });

  it('"done" in the DM rechecks each of the person\'s users in its own account', async () => {
    const w = await threeAccounts();
    const calls = await callsOf(w, () => w.dm(BOB, 'done'));
    expect(calls[DEV_ACCOUNT_ID]?.filter((c) => c === 'getUser')).toHaveLength(2);
    expect(calls[SAMPLE_ACCOUNT_ID]?.filter((c) => c === 'getUser')).toHaveLength(1);
    expect(calls[TEST_ACCOUNT_ID]).toEqual([]);
    // Each line names its user's account: bob is in two.
    const answer = seen(w.slack.dmsTo(BOB).at(-1)?.message);
    expect(answer).toContain(`\`bob\` in ${PROD}: still needs MFA`);
    expect(answer).toContain(`\`bob\` in ${DEV}: still needs MFA`);
    expect(answer).toContain(`\`alice\` in ${DEV}: still needs MFA`);
    const rechecks = w.audit().filter((l) => l.action === 'recheck' && l.actor === BOB);
    expect(rechecks.map((l) => `${l.accountId}/${l.userName}`).sort()).toEqual([
      `${SAMPLE_ACCOUNT_ID}/bob`,
      `${DEV_ACCOUNT_ID}/alice`,
      `${DEV_ACCOUNT_ID}/bob`,
    ]);
  });
});

describe('a removal in the right account', () => {
  it("is requested, approved and carried out in the user's account, with that account's gateway", async () => {
    const w = await threeAccounts();
    const devAlice = await openFindingRef(w, DEV_ACCOUNT_ID, 'alice');
    expect(seen(await w.click(BOB, 'mfa_request_removal', devAlice))).toContain('Asked the approvers');
    const { where, approve } = w.approvalFor('alice');
    // The approval message names the user's account.
    expect(w.textAt(where)).toContain(DEV);

    const calls = await callsOf(w, () => w.click(APPROVER, 'mfa_approve_removal', approve, where));
    expect(calls[DEV_ACCOUNT_ID]).toContain('deleteLoginProfile');
    expect(calls[SAMPLE_ACCOUNT_ID]).toEqual([]);
    expect(deleteCalls(iamOf(w, DEV_ACCOUNT_ID), 'alice')).toBe(1);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await iamOf(w, DEV_ACCOUNT_ID).getLoginProfile('alice')).toBeNull();
    expect(await w.iam.getLoginProfile('alice')).not.toBeNull();
    expect(w.textAt(where)).toContain('Removed by');
    // The requester's DM names the account too.
    expect(seen(w.slack.dmsTo(BOB).at(-1)?.message)).toContain(DEV);
  });
});

describe('housekeeping', () => {
  it("an expired request's message and its requester's DM name its own account", async () => {
    const w = await threeAccounts();
    await w.click(BOB, 'mfa_request_removal', await openFindingRef(w, DEV_ACCOUNT_ID, 'alice'));
    const { where } = w.approvalFor('alice');
    w.clock.advance(73 * 60 * 60 * 1000);
    await w.tidy();
    expect(w.stored().removals.map((r) => r.state)).toEqual(['expired']);
    expect(w.textAt(where)).toMatch(/expired/i);
    expect(w.textAt(where)).toContain(DEV);
    expect(seen(w.slack.dmsTo(BOB).at(-1)?.message)).toContain(DEV);
  });
});

describe('an account no longer covered', () => {
  it('a click on its finding is refused and audited, with no IAM call anywhere', async () => {
    const w = await threeAccounts();
    const devAlice = await openFindingRef(w, DEV_ACCOUNT_ID, 'alice');
    w.uncover(DEV_ACCOUNT_ID);
    const auditFrom = w.auditLines.length;
    let answers: unknown[] = [];
    expect(
      await callsOf(w, async () => {
        answers = [
          await w.click(APPROVER, 'mfa_recheck', devAlice),
          await w.click(BOB, 'mfa_request_removal', devAlice),
          // Another approver: a person's repeated refusals within a minute become one digest entry.
          await w.click(APPROVER2, 'mfa_recheck', `user:${DEV_ACCOUNT_ID}:${DEV_ALICE}:alice`),
        ];
      }),
    ).toEqual(NO_CALLS);
    for (const answer of answers) expect(seen(answer as never)).toContain('does not cover AWS account 555566667777');
    expect(w.audit(auditFrom).map((l) => [l.action, l.accountId, l.outcome, l.detail])).toEqual([
      ['recheck', DEV_ACCOUNT_ID, 'refused', 'AWS account 555566667777 is not covered'],
      ['removal_request', DEV_ACCOUNT_ID, 'refused', 'AWS account 555566667777 is not covered'],
      ['recheck', DEV_ACCOUNT_ID, 'refused', 'AWS account 555566667777 is not covered'],
    ]);
    // Its finding stays as it was.
    expect((await w.stores.findings.open(DEV_ACCOUNT_ID)).map((f) => f.userName)).toEqual(['alice', 'bob']);
  });

  it('a pending removal request of that account is not approved (nothing is deleted), and may be denied', async () => {
    const w = await threeAccounts();
    await w.click(BOB, 'mfa_request_removal', await openFindingRef(w, DEV_ACCOUNT_ID, 'alice'));
    const { where, approve, deny } = w.approvalFor('alice');
    w.uncover(DEV_ACCOUNT_ID);
    const auditFrom = w.auditLines.length;
    let answer: unknown = null;
    expect(
      await callsOf(w, async () => (answer = await w.click(APPROVER, 'mfa_approve_removal', approve, where))),
    ).toEqual(NO_CALLS);
    expect(seen(answer as never)).toContain('does not cover AWS account 555566667777');
    expect(w.audit(auditFrom).map((l) => [l.action, l.outcome])).toEqual([['removal_approve', 'refused']]);
    expect(w.stored().removals.map((r) => r.state)).toEqual(['pending']);

    // A Deny acts nowhere in AWS: it still settles the request, named in its account.
    expect(await callsOf(w, () => w.click(APPROVER2, 'mfa_deny_removal', deny, where))).toEqual(NO_CALLS);
    expect(w.stored().removals.map((r) => r.state)).toEqual(['denied']);
    expect(w.textAt(where)).toContain(DEV);
  });
});

describe('button values made before accounts were named', () => {
  it('map to the home account', async () => {
    const w = await threeAccounts();
    const prodAlice = (await w.stores.scans.userResults(SAMPLE_ACCOUNT_ID)).find((r) => r.userName === 'alice');
    if (prodAlice === undefined) throw new Error('no alice in the home account');
    const calls = await callsOf(w, () => w.click(APPROVER, 'mfa_recheck', `user:${prodAlice.userId}:alice`));
    expect(calls[SAMPLE_ACCOUNT_ID]).toContain('getUser');
    expect(calls[DEV_ACCOUNT_ID]).toEqual([]);
    expect(w.audit().at(-1)).toMatchObject({ action: 'recheck', accountId: SAMPLE_ACCOUNT_ID, outcome: 'succeeded' });

    // The old value of dev's alice names another UserId in the home account: not that user.
    const other = await callsOf(w, () => w.click(APPROVER, 'mfa_recheck', `user:${DEV_ALICE}:alice`));
    expect(other[DEV_ACCOUNT_ID]).toEqual([]);
    expect(w.audit().at(-1)).toMatchObject({ action: 'recheck', accountId: SAMPLE_ACCOUNT_ID });
  });
});

describe('/mfa-status <alias-or-id>/<name>', () => {
  it.each([
    ['the alias', 'acme-dev/alice'],
    ['the alias in another case', 'ACME-Dev/alice'],
    ['the id', '555566667777/alice'],
  ])('by %s: checked live in that account, for its owner', async (_label, text) => {
    const w = await threeAccounts();
    let answer: unknown = null;
    const calls = await callsOf(w, async () => ([answer] = await w.command(BOB, text)));
    expect(calls[DEV_ACCOUNT_ID]).toContain('getUser');
    expect(calls[SAMPLE_ACCOUNT_ID]).toEqual([]);
    const body = seen(answer as never);
    expect(body).toContain(DEV);
    expect(body).toContain('`alice`');
    // Its buttons act on that account's finding.
    const recheck = buttonsIn((answer as { blocks?: unknown } | null)?.blocks).find(
      (b) => b.actionId === 'mfa_recheck',
    );
    expect(recheck?.value).toBe(await openFindingRef(w, DEV_ACCOUNT_ID, 'alice'));
  });

  it("another account's owner of the same name is refused there, with no IAM call", async () => {
    const w = await threeAccounts();
    let answer: unknown = null;
    expect(await callsOf(w, async () => ([answer] = await w.command(ALICE, 'acme-dev/alice')))).toEqual(NO_CALLS);
    expect(seen(answer as never)).toContain('You can only look up IAM users you own');
  });

  it('an unknown alias or id is a clear error that lists no account, with no IAM call', async () => {
    const w = await threeAccounts();
    for (const text of ['acme-nope/alice', '999999999999/alice']) {
      let answer: unknown = null;
      expect(await callsOf(w, async () => ([answer] = await w.command(APPROVER, text)))).toEqual(NO_CALLS);
      const body = seen(answer as never);
      expect(body).toMatch(/knows no AWS account|does not cover AWS account 999999999999/);
      expect(body).not.toContain('acme-dev');
      expect(body).not.toContain(DEV_ACCOUNT_ID);
    }
  });
});

describe('/mfa-status <name> in several accounts', () => {
  it('lists, from stored data, each account where the asker may see it, with the command to pick one', async () => {
    const w = await threeAccounts();
    let approver: unknown = null;
    expect(await callsOf(w, async () => ([approver] = await w.command(APPROVER, 'alice')))).toEqual(NO_CALLS);
    const all = seen(approver as never);
    expect(all).toContain(PROD);
    expect(all).toContain(DEV);
    expect(all).toContain('/mfa-status 111122223333/alice');
    expect(all).toContain('/mfa-status 555566667777/alice');

    let bob: unknown = null;
    expect(await callsOf(w, async () => ([bob] = await w.command(BOB, 'alice')))).toEqual(NO_CALLS);
    expect(seen(bob as never)).toContain('/mfa-status 555566667777/alice');
    expect(seen(bob as never)).not.toContain(PROD);

    // Bob owns bob in both accounts.
    const [both] = await w.command(BOB, 'bob');
    expect(seen(both)).toContain('/mfa-status 111122223333/bob');
    expect(seen(both)).toContain('/mfa-status 555566667777/bob');
  });

  it('a stranger is refused, and audited, the same as for one account', async () => {
    const w = await threeAccounts();
    const auditFrom = w.auditLines.length;
    let answer: unknown = null;
    expect(await callsOf(w, async () => ([answer] = await w.command(STRANGER, 'alice')))).toEqual(NO_CALLS);
    expect(seen(answer as never)).toContain('You can only look up IAM users you own');
    expect(w.audit(auditFrom)).toEqual([expect.objectContaining({ action: 'status_user', outcome: 'refused' })]);
  });

  it('a name stored in one account only is checked live there, as with one account', async () => {
    const w = await threeAccounts();
    const calls = await callsOf(w, () => w.command(ALICE, 'zed'));
    expect(calls[TEST_ACCOUNT_ID]).toContain('getUser');
    expect(calls[SAMPLE_ACCOUNT_ID]).toEqual([]);
  });
});

describe('/mfa-status <name> no scan has seen', () => {
  const addHank = (w: World, accountId: string, userId: string): void =>
    iamOf(w, accountId).addUser({
      userName: 'hank',
      userId,
      createDate: new Date(SAMPLE_START.getTime() - 60 * 86_400_000),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });

  it('is checked live in each covered account (scanned or home) for an approver', async () => {
    // acme-test is covered but never scanned: not looked in (no organization listing per command).
    const w = await threeAccounts({ scanTest: false });
    addHank(w, DEV_ACCOUNT_ID, 'AIDADEVHANK0000000001');
    addHank(w, TEST_ACCOUNT_ID, 'AIDATESTHANK000000001');
    let answer: unknown = null;
    const calls = await callsOf(w, async () => ([answer] = await w.command(APPROVER, 'hank')));
    expect(calls[SAMPLE_ACCOUNT_ID]).toEqual(['getUser']);
    expect(calls[DEV_ACCOUNT_ID]).toContain('getUser');
    expect(calls[TEST_ACCOUNT_ID]).toEqual([]);
    // Found in one: its card, with buttons naming its account.
    const body = seen(answer as never);
    expect(body).toContain(DEV);
    const recheck = buttonsIn((answer as { blocks?: unknown } | null)?.blocks).find(
      (b) => b.actionId === 'mfa_recheck',
    );
    expect(recheck?.value).toBe(`user:${DEV_ACCOUNT_ID}:AIDADEVHANK0000000001:hank`);
  });

  it('found live in several accounts: each listed with its status and the command to pick it', async () => {
    const w = await threeAccounts();
    addHank(w, DEV_ACCOUNT_ID, 'AIDADEVHANK0000000001');
    addHank(w, TEST_ACCOUNT_ID, 'AIDATESTHANK000000001');
    const body = seen((await w.command(APPROVER, 'hank'))[0]);
    expect(body).toContain('/mfa-status 555566667777/hank');
    expect(body).toContain('/mfa-status 777788889999/hank');
    expect(body).toContain('Checked just now');
  });

  it('found in one account while another could not be checked: the answer names the one it could not check', async () => {
    const w = await threeAccounts();
    addHank(w, DEV_ACCOUNT_ID, 'AIDADEVHANK0000000001');
    addHank(w, TEST_ACCOUNT_ID, 'AIDATESTHANK000000001');
    iamOf(w, TEST_ACCOUNT_ID).failWith('getUser', new AppError('iam_throttled', 'IAM GetUser was throttled.'), {
      userName: 'hank',
    });
    const answer = (await w.command(APPROVER, 'hank'))[0];
    const body = seen(answer);
    expect(body).toContain('/mfa-status 555566667777/hank');
    expect(body).toContain(`${TEST}: :warning: could not be checked just now`);
    expect(body).toContain('/mfa-status 777788889999/hank');
  });

  it('anyone else gets the answer they always got: refused, with no IAM call', async () => {
    const w = await threeAccounts();
    addHank(w, DEV_ACCOUNT_ID, 'AIDADEVHANK0000000001');
    for (const who of [BOB, STRANGER]) {
      let answer: unknown = null;
      expect(await callsOf(w, async () => ([answer] = await w.command(who, 'hank')))).toEqual(NO_CALLS);
      expect(seen(answer as never)).toContain('You can only look up IAM users you own');
    }
  });
});

describe('/mfa-status summary', () => {
  it('shows one line per account from its latest completed scan, and offenders with their account', async () => {
    const w = await threeAccounts();
    let answer: unknown = null;
    expect(await callsOf(w, async () => ([answer] = await w.command(APPROVER, 'summary')))).toEqual(NO_CALLS);
    const body = seen(answer as never);
    expect(body).toContain('AWS accounts (3)');
    // The sample account: 14 users, 5 without MFA, 2 in grace, 1 not checked; acme-dev: 2 without MFA.
    expect(body).toContain(`${PROD}: 14 users, 5 without MFA, 2 in grace period, 1 could not be checked`);
    expect(body).toContain(`${DEV}: 2 users, 2 without MFA, 0 in grace period, 0 could not be checked`);
    expect(body).toContain(`${TEST}: 1 user, 1 without MFA`);
    expect(body).toContain(`\`alice\` in ${DEV}`);
    expect(body).toContain(`\`alice\` in ${PROD}`);
    expect(w.slack.refused).toEqual([]);
  });

  it('is refused to anyone but an approver', async () => {
    const w = await threeAccounts();
    expect(seen((await w.command(BOB, 'summary'))[0])).toMatch(/approver/i);
  });

  it('with one account reads as it always has', async () => {
    const w = await startWorld();
    const body = seen((await w.command(APPROVER, 'summary'))[0]);
    expect(body).toContain('MFA status of the AWS account');
    expect(body).not.toContain('AWS accounts (');
    expect(body).not.toContain(`in ${PROD}`);
  });
});
