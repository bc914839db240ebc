/**
 * An account listed from an organization without an IAM alias: every interaction names it by the
 * organization's name (stored with its scan), and that name never matches an alias-scoped
 * owners-file key, since two accounts of an organization may share one.
 */
import { ownersSourceFromYaml } from '../../../src/adapters/memory/fixed-owners-source';
import { SAMPLE_OWNERS_FILE_YAML } from '../../../src/adapters/memory/sample-account';
import { findingRef } from '../../../src/domain/notifications';
import { startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  BOB,
  DEV_ACCOUNT_ID,
  otherAccount,
  SAMPLE_START,
  seen,
  TEST_ACCOUNT_ID,
} from '../../support/sample-world';

const SHARED_ACCOUNT_ID = '999900001111';
const DEV = '`acme-dev` (`555566667777`)';

// `acme-dev/erin` reads like an alias-scoped key for the account named acme-dev: it must not match.
const owners = ownersSourceFromYaml(`${SAMPLE_OWNERS_FILE_YAML}  acme-dev/erin: ${ALICE}\n`, 'owners file');

/** acme-dev, and two accounts both named acme-shared; none has an IAM alias. Scanned once. */
const namedAccounts = async (): Promise<World> => {
  const w = await startWorld({
    owners,
    accounts: [
      otherAccount(
        DEV_ACCOUNT_ID,
        null,
        [
          { userName: 'dave', userId: 'AIDADEVDAVE0000000001', tags: { 'slack-owner': BOB } },
          { userName: 'erin', userId: 'AIDADEVERIN0000000001' },
        ],
        SAMPLE_START,
      ),
      otherAccount(
        TEST_ACCOUNT_ID,
        null,
        [{ userName: 'zed', userId: 'AIDATESTZED0000000001', tags: { 'slack-owner': ALICE } }],
        SAMPLE_START,
      ),
      otherAccount(
        SHARED_ACCOUNT_ID,
        null,
        [{ userName: 'zed', userId: 'AIDASHAREDZED00000001', tags: { 'slack-owner': ALICE } }],
        SAMPLE_START,
      ),
    ],
    organizationNames: {
      [DEV_ACCOUNT_ID]: 'acme-dev',
      [TEST_ACCOUNT_ID]: 'acme-shared',
      [SHARED_ACCOUNT_ID]: 'acme-shared',
    },
  });
  return w;
};

const openFindingRef = async (w: World, accountId: string, userName: string): Promise<string> => {
  const finding = (await w.stores.findings.open(accountId)).find((f) => f.userName === userName);
  if (finding === undefined) throw new Error(`no open finding for ${userName} in ${accountId}`);
  return findingRef(finding.id);
};

describe("an account without an alias, by its organization's name", () => {
  it('is stored with its scan as the name, not the alias', async () => {
    const w = await namedAccounts();
    expect(await w.stores.scans.accountNames(DEV_ACCOUNT_ID)).toEqual({ alias: null, name: 'acme-dev' });
    expect((await w.stores.scans.scannedAccounts()).find((a) => a.accountId === DEV_ACCOUNT_ID)).toMatchObject({
      alias: null,
      name: 'acme-dev',
    });
  });

  it('is shown in /mfa-status, App Home, a Recheck and a live lookup', async () => {
    const w = await namedAccounts();
    expect(seen((await w.command(BOB, ''))[0])).toContain(`\`dave\` in ${DEV}`);
    expect(JSON.stringify(await w.openHome(BOB))).toContain(`\`dave\` in ${DEV}`);
    expect(seen((await w.command(APPROVER, ''))[0])).toContain(`${DEV}: 2 need MFA`);

    // A Recheck from the scan's DM re-renders it: each account named from stored data.
    const nudge = w.slack.dmsTo(BOB).find((p) => seen(p.message).includes('`dave`'));
    if (nudge === undefined) throw new Error('no DM about dave');
    const dm = { channel: nudge.channel, ts: nudge.ts };
    await w.click(BOB, 'mfa_recheck', await openFindingRef(w, DEV_ACCOUNT_ID, 'dave'), dm);
    expect(seen(w.slack.updatesOf(dm)[0])).toContain(`IAM user \`dave\`* in AWS account ${DEV}`);

    // "done" in the DM rechecks his users in both accounts, each line naming its account.
    await w.dm(BOB, 'done');
    expect(seen(w.slack.dmsTo(BOB).at(-1)?.message)).toContain(`\`dave\` in ${DEV}: still needs MFA`);

    // Picked by its organization's name, which no other account has.
    const lookup = seen((await w.command(BOB, 'acme-dev/dave'))[0]);
    expect(lookup).toContain(DEV);
    expect(lookup).toContain('dave');
  });

  it("never matches an alias-scoped owners-file key: the user stays unowned, and not the key's owner's", async () => {
    const w = await namedAccounts();
    const erin = (await w.stores.scans.userResults(DEV_ACCOUNT_ID)).find((u) => u.userName === 'erin');
    expect(erin?.owner.kind).toBe('unowned');
    expect(seen((await w.command(ALICE, ''))[0])).not.toContain('`erin`');
    expect(seen(await w.click(ALICE, 'mfa_recheck', await openFindingRef(w, DEV_ACCOUNT_ID, 'erin')))).toContain(
      'Only the',
    );
  });

  it('picks no account when two share the name; the id still does', async () => {
    const w = await namedAccounts();
    expect(seen((await w.command(ALICE, 'acme-shared/zed'))[0])).toMatch(/knows no AWS account \W+acme-shared\W/);
    expect(seen((await w.command(ALICE, `${TEST_ACCOUNT_ID}/zed`))[0])).toContain('`acme-shared` (`777788889999`)');
  });
});
