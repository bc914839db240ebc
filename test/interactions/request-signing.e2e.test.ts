/**
 * Requests Slack did not sign (wrong secret) or signed too long ago (a replay, 6 minutes old) are
 * refused by the receiver with HTTP 401 before any listener runs: no reply, no IAM call, no audit
 * entry, no Home, and a pending removal request stays pending. The same request signed properly
 * is then accepted, so each refusal is the signature's doing and not a broken request.
 */
import {
  approvalFor,
  auditSince,
  type BotWorld,
  click,
  command,
  openHome,
  readStoredState,
  snapshotWorld,
  startBotWorld,
  waitFor,
} from '../support/interaction-harness';
import { ALICE, APPROVER, buttonsIn } from '../support/sample-world';
import type { SendOptions } from '../support/slack-requests';

const SIX_MINUTES_S = 6 * 60;

type Kind = 'slash command' | 'block action (Approve)' | 'app_home_opened';

const FORGERIES: ReadonlyArray<readonly [string, () => SendOptions]> = [
  ['a forged signature', () => ({ signingSecret: 'not-the-signing-secret-9876543210' })],
  ['a 6-minute-old timestamp', () => ({ timestampSeconds: Math.floor(Date.now() / 1000) - SIX_MINUTES_S })],
];

/** A real pending request: alice asks from her DM, the approval message is posted. */
const pendingApproval = async (w: BotWorld) => {
  const dm = await waitFor(() => w.slack.posted.find((m) => m.channel === `D${ALICE}`), "alice's DM");
  const remove = buttonsIn(dm.blocks).find((b) => b.actionId === 'mfa_request_removal');
  if (remove === undefined) throw new Error("alice's DM has no Remove button");
  const { responseUrl } = await click(w, {
    userId: ALICE,
    actionId: 'mfa_request_removal',
    value: remove.value,
    where: { channel: dm.channel, ts: dm.ts },
  });
  const approval = await approvalFor(w.slack, 'alice');
  // Alice's answer comes after the approval message: counted before the forgeries, never during them.
  await waitFor(() => w.slack.responsesTo(responseUrl).length > 0, "alice's answer to her removal request");
  return approval;
};

describe('request signing: unsigned and replayed requests change nothing', () => {
  it.each<Kind>(['slash command', 'block action (Approve)', 'app_home_opened'])(
    'a %s with a forged signature or a stale timestamp is refused with HTTP 401',
    async (kind) => {
      const w = await startBotWorld();
      const approval = kind === 'block action (Approve)' ? await pendingApproval(w) : null;

      const send = async (options: SendOptions): Promise<number> => {
        switch (kind) {
          case 'slash command':
            return (await command(w, APPROVER, 'alice', { ...options, expect: 0 })).reply.status;
          case 'block action (Approve)':
            return (
              await click(
                w,
                {
                  userId: APPROVER,
                  actionId: 'mfa_approve_removal',
                  value: approval!.approve,
                  where: { channel: approval!.message.channel, ts: approval!.message.ts },
                },
                options,
              )
            ).reply.status;
          case 'app_home_opened':
            return (await openHome(w, APPROVER, options)).status;
        }
      };

      const before = snapshotWorld(w);
      const iamCalls = w.iam.calls.length;
      const auditLines = w.harness.auditLines.length;
      const auditRows = readStoredState(w.databasePath).auditRows;
      const responses = w.slack.responses.length;
      for (const [, forged] of FORGERIES) expect(await send(forged())).toBe(401);
      // The receiver refuses before any listener runs, so by the 401 nothing can have started.
      expect(w.slack.responses).toHaveLength(responses);
      expect(w.iam.calls).toHaveLength(iamCalls);
      expect(w.harness.auditLines).toHaveLength(auditLines);
      expect(readStoredState(w.databasePath).auditRows).toBe(auditRows);
      expect(snapshotWorld(w)).toEqual(before);

      // The control: the same request, signed now with the right secret, is accepted and acted on,
      // exactly once (a forgery that had slipped through would show up as a second answer).
      expect(await send({})).toBe(200);
      switch (kind) {
        case 'slash command':
          await waitFor(() => w.slack.responses.length > responses, 'the answer to the signed command');
          expect(w.slack.responses).toHaveLength(responses + 1);
          break;
        case 'block action (Approve)':
          await waitFor(
            () => readStoredState(w.databasePath).removals[0]?.state === 'done',
            'the signed approval to remove the password',
          );
          await waitFor(() => w.harness.auditLines.length >= auditLines + 3, 'the approval to be audited');
          expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(1);
          expect(auditSince(w.harness, auditLines).map((l) => `${l.actor}:${l.action}:${l.outcome}`)).toEqual([
            `${APPROVER}:removal_approve:succeeded`,
            `${APPROVER}:removal_execute:succeeded`,
            `${APPROVER}:finding_closed:succeeded`,
          ]);
          break;
        case 'app_home_opened':
          await waitFor(() => w.slack.homeViews.length > 0, 'the Home to be published');
          expect(w.slack.callsTo('views.publish')).toHaveLength(1);
          break;
      }
    },
    20_000,
  );
});
