/**
 * Show CLI steps, in process: the modal opens (views.open) before anything else, then shows the
 * steps to the owner or an approver and a short refusal to anyone else. Who owns the user comes
 * from what the bot stored; a user no scan has seen yet is checked live, after the modal is open.
 */
import { AppError } from '../../../src/errors';
import type { ModalView } from '../../../src/slack/blocks/block-kit';
import { startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  BOB,
  buttonsForUser,
  buttonsIn,
  DANA,
  PLATFORM,
  SAMPLE_START,
  seen,
  STRANGER,
} from '../../support/sample-world';

const DAY = 86_400_000;

let triggers = 0;

/** Clicks Show CLI steps as `userId` on `value`; the modal as it ends up. */
const showSteps = async (w: World, userId: string, value: string): Promise<ModalView> => {
  triggers += 1;
  const triggerId = `trigger-${triggers}`;
  await w.services.showSteps({ userId, value, triggerId });
  const modal = w.slack.modals.find((m) => m.triggerId === triggerId);
  if (modal === undefined) throw new Error('no modal was opened');
  return modal.view;
};

/** The Show CLI steps button for an IAM user, from the first message the bot posted with one (a DM or the summary). */
const stepsValue = (w: World, userName: string): string => {
  for (const post of w.slack.posts) {
    const found = buttonsForUser(post.message.blocks, userName).find((b) => b.actionId === 'mfa_show_steps');
    if (found !== undefined) return found.value;
  }
  throw new Error(`no Show CLI steps button for ${userName}`);
};

const text = (view: ModalView): string => seen({ blocks: view.blocks });

describe('Show CLI steps', () => {
  it('opens the modal first, then fills it in from stored data: no IAM call at all', async () => {
    const w = await startWorld();
    const value = stepsValue(w, 'alice');
    const slackCalls = w.slack.calls.length;
    const iamCalls = w.iam.calls.length;

    const view = await showSteps(w, ALICE, value);

    expect(w.slack.calls.slice(slackCalls).map((c) => c.method)).toEqual(['views.open', 'views.update']);
    expect(w.iam.calls.length).toBe(iamCalls);
    expect(text(view)).toContain('aws iam enable-mfa-device --user-name alice');
    expect(w.slack.refused).toEqual([]);
  });

  it.each([
    ['its owner by Slack ID', ALICE, 'alice', true],
    ['an approver', APPROVER, 'alice', true],
    ['its owner by email (users.info)', PLATFORM, 'svc-deploy', true],
    ['the owner of another IAM user', BOB, 'alice', false],
    ['someone in the workspace who owns nothing', STRANGER, 'alice', false],
    ['a deactivated account whose email owns the user', DANA, 'dana@example.com', false],
  ])('%s (%s on %s) gets the steps: %s', async (_who, clicker, userName, allowed) => {
    const w = await startWorld();
    const view = await showSteps(w, clicker, stepsValue(w, userName));
    if (allowed) {
      expect(text(view)).toContain(`aws iam delete-login-profile --user-name ${userName}`);
    } else {
      expect(text(view)).toContain('or an approver can see its steps.');
      expect(text(view)).not.toContain('aws iam');
    }
  });

  it.each(['finding:99999', 'removal:1', 'nonsense'])(
    'a button value that points at no user (%s) gets a short view saying so',
    async (value) => {
      const w = await startWorld();
      expect(text(await showSteps(w, APPROVER, value))).toContain('points at no IAM user mfa-guard knows');
    },
  );

  it('a user no scan has seen yet (a user: button from /mfa-status): approvers only, with no IAM user call', async () => {
    const w = await startWorld();
    w.iam.addUser({
      userName: 'hank',
      userId: 'AIDAEXAMPLEHANK000001',
      createDate: new Date(SAMPLE_START.getTime() - 30 * DAY),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });
    const [reply] = await w.command(APPROVER, 'hank');
    const value = buttonsIn(reply?.blocks).find((b) => b.actionId === 'mfa_show_steps')?.value ?? '';
    // The value names the account: the steps are for hank in that one.
    expect(value).toBe('user:111122223333:AIDAEXAMPLEHANK000001:hank');
    // Whatever AWS call there is comes after views.open.
    const restarted = await w.restart();
    const calls: { readonly operation: string; readonly viewOpen: boolean }[] = [];
    restarted.onIamCall = (operation) => {
      calls.push({ operation, viewOpen: restarted.slack.calls.some((c) => c.method === 'views.open') });
    };

    const view = await showSteps(restarted, APPROVER, value);

    expect(text(view)).toContain('aws iam enable-mfa-device --user-name hank');
    // No IAM call at all: the partition is the home account's (known since it scanned), the alias the stored one.
    expect(calls).toEqual([]);
    expect(text(view)).toContain('`acme-prod` (`111122223333`)');

    // Its owner by tag is not on record until a scan records them: refused, with no AWS call at all.
    calls.length = 0;
    expect(text(await showSteps(restarted, BOB, value))).toContain('or an approver can see its steps.');
    expect(text(await showSteps(restarted, STRANGER, value))).toContain('or an approver can see its steps.');
    expect(calls).toEqual([]);
  });

  it('a failure after the modal is open shows in the modal, in words a person can act on', async () => {
    const w = await startWorld();
    w.iam.addUser({
      userName: 'hank',
      userId: 'AIDAEXAMPLEHANK000001',
      createDate: new Date(SAMPLE_START.getTime() - 30 * DAY),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });
    const restarted = await w.restart();
    restarted.stores.scans.accountNames = () =>
      Promise.reject(new AppError('database_error', 'Could not read the account alias: disk I/O error'));

    const view = await showSteps(restarted, APPROVER, 'user:AIDAEXAMPLEHANK000001:hank');

    expect(text(view)).toContain(
      'mfa-guard could not show the steps: Could not read the account alias: disk I/O error',
    );
    expect(restarted.slack.calls.slice(-2).map((c) => c.method)).toEqual(['views.open', 'views.update']);
  });
});
