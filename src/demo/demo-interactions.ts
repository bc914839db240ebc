import type { InMemoryIam } from '../adapters/memory/in-memory-iam';
import type { InMemorySlack } from '../adapters/memory/in-memory-slack';
import { SAMPLE_SECURITY_CHANNEL } from '../adapters/memory/sample-slack';
import { type AppParts, createInteractions } from '../app';
import type { Stores } from '../ports/stores';
import { renderModalAsText, renderSlackMessageAsText } from '../render/slack-text';
import type { InteractionSettings } from '../services/interaction-settings';
import type { ScanCycle } from '../services/scan-cycle';
import { APPROVE_REMOVAL_ACTION_ID, REQUEST_REMOVAL_ACTION_ID, SHOW_STEPS_ACTION_ID } from '../slack/blocks/action-ids';
import type { SlackMessage } from '../slack/blocks/block-kit';

const OWNER = 'U012ABCDEF';
/** Owns IAM user bob (tag slack-owner). */
const BOB = 'U0BOB12345';
const APPROVER = 'U0SECURITY1';

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');

/** The value of the first button with this action_id, as a click would send it. */
const buttonValue = (message: SlackMessage, actionId: string): string | null => {
  for (const block of message.blocks) {
    const buttons =
      block.type === 'actions' ? block.elements : block.type === 'section' && block.accessory ? [block.accessory] : [];
    const found = buttons.find((b) => b.action_id === actionId);
    if (found?.value !== undefined) return found.value;
  }
  return null;
};

/**
 * After the demo scan: what people see when they answer the bot. Alice asks /mfa-status; bob turns
 * MFA on and writes "done" in his DM; alice asks for her console password to be removed, and the
 * security team approves. Every step runs the real services (live IAM check, SQLite state machine,
 * audit log) on the in-memory account.
 */
export const runDemoInteractions = async (
  io: { readonly stdout: (text: string) => void },
  state: {
    readonly stores: Stores;
    /** What the stores' audit log wrote, one JSON line each. */ readonly auditLines: readonly string[];
  },
  parts: AppParts & { readonly slack: InMemorySlack; readonly iam: InMemoryIam },
  settings: InteractionSettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
): Promise<number> => {
  const { services } = createInteractions(state.stores, parts, settings, cycle);
  const show = (title: string, message: SlackMessage | null): void => {
    if (message !== null) io.stdout(`\n=== ${title} ===\n\n${indent(renderSlackMessageAsText(message))}\n`);
  };

  io.stdout('\nThen people answer the bot (the same services the Slack handlers call):\n');
  show(`/mfa-status, as ${OWNER} (only they see it)`, (await services.status(OWNER, '')).message);

  // bob turns MFA on in the console, then answers the bot's DM in words.
  const bobDm = parts.slack.posts.find((p) => parts.slack.dmUser(p.channel) === BOB);
  if (bobDm !== undefined) {
    parts.iam.addMfaDevice('bob', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/bob',
      kind: 'virtual',
      enableDate: parts.clock.now(),
    });
    const reply = await services.dmReply({
      eventId: 'demo-event-1',
      userId: BOB,
      channel: bobDm.channel,
      text: 'done',
    });
    show(
      `${BOB} turns on MFA for bob, then writes "done" in their DM: the bot answers there`,
      reply.kind === 'answered' ? reply.message : null,
    );
    const rerendered = parts.slack.posts.find((p) => p.channel === bobDm.channel && p.ts === bobDm.ts);
    show(`…and the DM it sent ${BOB} is re-rendered in place`, rerendered?.message ?? null);
  }

  const dm = parts.slack.posts.find((p) => parts.slack.dmUser(p.channel) === OWNER);
  const ref = dm === undefined ? null : buttonValue(dm.message, REQUEST_REMOVAL_ACTION_ID);
  const steps = dm === undefined ? null : buttonValue(dm.message, SHOW_STEPS_ACTION_ID);
  if (dm === undefined || ref === null || steps === null) {
    io.stdout('\n(no DM with a removal button and a Show CLI steps button to click)\n');
    return 3;
  }
  await services.showSteps({ userId: OWNER, value: steps, triggerId: 'demo-trigger-1' });
  const modal = parts.slack.modals.at(-1);
  if (modal !== undefined) {
    io.stdout(
      `\n=== ${OWNER} clicks "Show CLI steps" in their DM: a window opens, only for them ===\n\n${indent(renderModalAsText(modal.view))}\n`,
    );
  }
  show(
    `${OWNER} clicks "Remove console access…" in their DM`,
    await services.requestRemoval({ userId: OWNER, value: ref, message: { channel: dm.channel, ts: dm.ts } }),
  );

  const approval = parts.slack.posts.find(
    (p) => p.channel === SAMPLE_SECURITY_CHANNEL && buttonValue(p.message, APPROVE_REMOVAL_ACTION_ID) !== null,
  );
  if (approval === undefined) return 3;
  show(`The approval request in #security-alerts (${SAMPLE_SECURITY_CHANNEL})`, approval.message);
  const approve = buttonValue(approval.message, APPROVE_REMOVAL_ACTION_ID) ?? '';
  await services.approveRemoval({
    userId: APPROVER,
    value: approve,
    message: { channel: approval.channel, ts: approval.ts },
  });
  const updated = parts.slack.posts.find((p) => p.channel === approval.channel && p.ts === approval.ts);
  show(`${APPROVER} approves: the approval message is updated in place`, updated?.message ?? null);
  const told = parts.slack.posts.filter((p) => parts.slack.dmUser(p.channel) === OWNER).at(-1);
  show(`DM to ${OWNER}: how it ended`, told?.message ?? null);

  io.stdout(
    `\nAudit log (each entry is also one JSON line on the bot's stdout; \`npm run audit\` prints the table):\n${state.auditLines.map((l) => `  ${l}`).join('\n')}\n`,
  );
  return 0;
};
