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
 * After the demo scan: what people see when they answer the bot. Alice asks /mfa-status, asks
 * for her console password to be removed, and the security team approves. Every step runs the
 * real services (live IAM check, SQLite state machine, audit log) on the in-memory account.
 */
export const runDemoInteractions = async (
  io: { readonly stdout: (text: string) => void },
  state: {
    readonly stores: Stores;
    /** What the stores' audit log wrote, one JSON line each. */ readonly auditLines: readonly string[];
  },
  parts: AppParts & { readonly slack: InMemorySlack },
  settings: InteractionSettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
): Promise<number> => {
  const { services } = createInteractions(state.stores, parts, settings, cycle);
  const show = (title: string, message: SlackMessage | null): void => {
    if (message !== null) io.stdout(`\n=== ${title} ===\n\n${indent(renderSlackMessageAsText(message))}\n`);
  };

  io.stdout('\nThen people answer the bot (the same services the Slack handlers call):\n');
  show(`/mfa-status, as ${OWNER} (only they see it)`, (await services.status(OWNER, '')).message);

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
