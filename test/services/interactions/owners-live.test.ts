/**
 * The owners file is read again (when its content changed) before every scan, Recheck, removal
 * request and removal: an exemption added while a removal is pending protects the user. While the
 * file is invalid its last good copy keeps the DMs going, every removal is refused (and audited),
 * and the security channel hears of it once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { fixedOwnersSource } from '../../../src/adapters/memory/fixed-owners-source';
import { SAMPLE_ACCOUNT_ID, SAMPLE_OWNERS_FILE_YAML } from '../../../src/adapters/memory/sample-account';
import { openOwnersFileSource, ownersFileHash } from '../../../src/adapters/owners-file';
import { EMPTY_OWNERS_FILE } from '../../../src/domain/owners';
import type { OwnersSnapshot } from '../../../src/domain/owners-snapshot';
import type { OwnersSource } from '../../../src/ports/owners';
import { tempDir } from '../../support/cli-harness';
import { startWorld, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, deleteCalls, SECURITY_CHANNEL, seen, userButton } from '../../support/sample-world';

const HOUR_MS = 60 * 60 * 1000;

const ALICE_EXEMPT_YAML = SAMPLE_OWNERS_FILE_YAML.replace(
  '  alice: U012ABCDEF                  # exact user name -> Slack user ID\n',
  '  alice:\n    owner: U012ABCDEF\n    exempt: "Kiosk account; approved by security"\n',
);
const BAD_YAML = `${SAMPLE_OWNERS_FILE_YAML}  bob: not-an-owner\n`;
const FIXED_YAML = `${SAMPLE_OWNERS_FILE_YAML}# bob is owned by his slack-owner tag\n`;

/** How the removal_execute audit entry names the owners file it used. */
const label = (yaml: string): string => `owners file sha256:${ownersFileHash(yaml).slice(0, 12)}`;

/** The sample world over an owners file on disk, which the test may rewrite. */
const worldOverFile = async (): Promise<{ w: World; path: string }> => {
  const path = join(tempDir(), 'owners.yml');
  writeFileSync(path, SAMPLE_OWNERS_FILE_YAML);
  return { w: await startWorld({ owners: await openOwnersFileSource(path) }), path };
};

/** The owner of an IAM user asks for its removal from their nudge DM; what they were told. */
const requestFromDm = async (w: World, owner: string, userName: string): Promise<string> => {
  const dm = w.slack.dmsTo(owner).at(-1);
  if (dm === undefined) throw new Error(`the scan sent ${owner} no DM`);
  const remove = userButton(dm.message.blocks, userName, 'mfa_request_removal');
  return seen(await w.click(owner, remove.actionId, remove.value, dm));
};

const approve = async (w: World, userName: string): Promise<string> => {
  const { approve: value, where } = w.approvalFor(userName);
  return seen(await w.click(APPROVER, 'mfa_approve_removal', value, where));
};

const executeAudit = (w: World) =>
  w
    .audit()
    .filter((l) => l.action === 'removal_execute')
    .map((l) => [l.outcome, l.detail]);

/** The security channel's messages about the owners file. */
const ownersPosts = (w: World) =>
  w.slack.postsIn(SECURITY_CHANNEL).filter((p) => seen(p.message).includes('Owners file invalid'));

describe('an owners file edited while the bot runs', () => {
  it('an exemption added while a removal is pending stops the removal: no DeleteLoginProfile, the request ends not_needed', async () => {
    const { w, path } = await worldOverFile();
    expect(await requestFromDm(w, ALICE, 'alice')).toContain('Asked the approvers');
    const { where } = w.approvalFor('alice');

    // No restart: the file is rewritten and the approver clicks.
    writeFileSync(path, ALICE_EXEMPT_YAML);
    await approve(w, 'alice');
    await w.idle();

    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await w.iam.getLoginProfile('alice')).not.toBeNull();
    const [request] = w.stored().removals;
    expect(request?.state).toBe('not_needed');
    expect((await w.stores.removals.get(request?.id ?? 0))?.detail).toBe(
      'the user is exempt now (Kiosk account; approved by security)',
    );
    expect(executeAudit(w)).toEqual([
      ['not_needed', `the user is exempt now (Kiosk account; approved by security); ${label(ALICE_EXEMPT_YAML)}`],
    ]);
    expect(w.textAt(where)).toContain('exempt now');
  });

  it('names the owners file a removal used in its removal_execute audit entry', async () => {
    const { w } = await worldOverFile();
    await requestFromDm(w, ALICE, 'alice');
    await approve(w, 'alice');
    await w.idle();
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(executeAudit(w)).toEqual([['succeeded', label(SAMPLE_OWNERS_FILE_YAML)]]);
  });

  it('a scan uses the file as it is now', async () => {
    const { w, path } = await worldOverFile();
    writeFileSync(path, ALICE_EXEMPT_YAML);
    await w.scan();
    const alice = (await w.stores.scans.userResults(SAMPLE_ACCOUNT_ID)).find((r) => r.userName === 'alice');
    expect(alice).toMatchObject({ status: 'exempt', reason: expect.stringContaining('Kiosk account') });
  });

  it('a removal request is weighed against the file as it is now', async () => {
    const { w, path } = await worldOverFile();
    writeFileSync(path, ALICE_EXEMPT_YAML);
    const answer = await requestFromDm(w, ALICE, 'alice');
    expect(answer).toContain('exempt');
    expect(w.stored().removals).toEqual([]);
  });
});

describe('an owners file that turns invalid while the bot runs', () => {
  it('keeps DMs on the last good copy, refuses new requests and approvals (audited), and tells the security channel once', async () => {
    const { w, path } = await worldOverFile();
    // alice's removal is pending before the file breaks.
    await requestFromDm(w, ALICE, 'alice');
    writeFileSync(path, BAD_YAML);

    // A day later the scan still knows alice's owner from the owners file (the last good copy),
    // so her DM comes again; an empty owners file would have left her unowned.
    w.clock.advance(25 * HOUR_MS);
    const dmsBefore = w.slack.dmsTo(ALICE).length;
    expect((await w.scan()).kind).toBe('completed');
    expect(w.slack.dmsTo(ALICE).length).toBe(dmsBefore + 1);
    const alice = (await w.stores.scans.userResults(SAMPLE_ACCOUNT_ID)).find((r) => r.userName === 'alice');
    expect(alice?.owner).toMatchObject({ value: ALICE, source: 'owners-file:alice' });
    await w.scan();

    // A new request (bob's, owned by tag) is refused, audited with the reason; nothing is created.
    const refused = await requestFromDm(w, BOB, 'bob');
    expect(refused).toContain('The owners file is invalid, so no console password is removed until it is fixed');
    expect(refused).toContain('Nothing was requested.');
    expect(w.stored().removals.map((r) => [r.userName, r.state])).toEqual([['alice', 'pending']]);

    // Approving the pending request is refused too: it stays pending, nothing is deleted.
    const answer = await approve(w, 'alice');
    await w.idle();
    expect(answer).toContain('The owners file is invalid');
    expect(answer).toContain('Nothing was removed.');
    expect(w.stored().removals.map((r) => r.state)).toEqual(['pending']);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(deleteCalls(w.iam, 'bob')).toBe(0);

    const refusals = w
      .audit()
      .filter((l) => l.outcome === 'refused')
      .map((l) => [l.action, l.userName, l.detail?.split(':')[0]]);
    expect(refusals).toEqual([
      [
        'removal_request',
        'bob',
        'the owners file is invalid, so no console password is removed until it is fixed (its exemptions cannot be read)',
      ],
      [
        'removal_approve',
        'alice',
        'the owners file is invalid, so no console password is removed until it is fixed (its exemptions cannot be read)',
      ],
    ]);
    expect(
      w
        .audit()
        .filter((l) => l.outcome === 'refused')
        .every((l) => l.detail?.includes(path)),
    ).toBe(true);

    // Two scans, a request and an approval later: one post, naming the problem.
    const posts = ownersPosts(w);
    expect(posts).toHaveLength(1);
    expect(seen(posts[0]?.message)).toContain('users.bob');
    expect(
      w.logs.filter((l) => l.includes('the owners file is invalid; its last good copy stays in use')),
    ).toHaveLength(1);

    // Fixed (no restart): the pending request can be approved, and the audit names the fixed file.
    writeFileSync(path, FIXED_YAML);
    await approve(w, 'alice');
    await w.idle();
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(executeAudit(w)).toEqual([['succeeded', label(FIXED_YAML)]]);
  });

  it('refuses at the pre-removal check when the file breaks after the approval was accepted: the request fails, nothing is deleted', async () => {
    const path = join(tempDir(), 'owners.yml');
    writeFileSync(path, SAMPLE_OWNERS_FILE_YAML);
    const file = await openOwnersFileSource(path);
    // The file as it is, until `breakAfter(n)`: then n more good answers, and the next ones invalid.
    let goodLeft: number | null = null;
    const source: OwnersSource = {
      current: async (): Promise<OwnersSnapshot> => {
        const now = await file.current();
        if (goodLeft === null || goodLeft > 0) {
          if (goodLeft !== null) goodLeft -= 1;
          return now;
        }
        return {
          ...now,
          problem: { message: `The owners file ${path} is not valid YAML at line 2`, hash: 'e'.repeat(64) },
        };
      },
    };
    const w = await startWorld({ owners: source });
    await requestFromDm(w, ALICE, 'alice');
    const { where } = w.approvalFor('alice');

    // The approval's own check passes; the check right before the live check and the delete does not.
    goodLeft = 1;
    await approve(w, 'alice');
    await w.idle();

    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(w.stored().removals.map((r) => r.state)).toEqual(['failed']);
    expect(executeAudit(w)).toEqual([
      [
        'failed',
        `the owners file is invalid, so no console password is removed until it is fixed (its exemptions cannot be read): The owners file ${path} is not valid YAML at line 2; owners file sha256:eeeeeeeeeeee invalid; last good ${label(SAMPLE_OWNERS_FILE_YAML)}`,
      ],
    ]);
    expect(w.textAt(where)).toContain('the owners file is invalid');
    expect(ownersPosts(w)).toHaveLength(1);
  });

  it('says "no owners file" in the audit when there is none', async () => {
    const w = await startWorld({ owners: fixedOwnersSource(EMPTY_OWNERS_FILE, null) });
    // bob is owned by tag, so he has a DM without an owners file.
    await requestFromDm(w, BOB, 'bob');
    await approve(w, 'bob');
    await w.idle();
    expect(executeAudit(w)).toEqual([['succeeded', 'no owners file']]);
  });
});
