/**
 * The modal behind "Show CLI steps": the full AWS CLI walkthrough for one IAM user, with every
 * command exactly as buildRemediation prints it (quoted so it runs as pasted), and the short views
 * the same modal shows while it loads or when it cannot show the steps.
 */
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef } from '../../domain/types';
import type { Block, ModalView } from './block-kit';
import { MODAL_TITLE_MAX, truncateMrkdwn, VIEW_MAX_BLOCKS } from './limits';
import { accountMrkdwn, codeBlock, escapeMrkdwn, inlineCode } from './mrkdwn';
import { packSections, plainText, section } from './text-objects';

export type StepsViewInput =
  /** Opened at once, so the click's trigger_id is used before it expires; replaced by one of the others. */
  | { readonly kind: 'loading' }
  | { readonly kind: 'steps'; readonly account: AccountRef; readonly userName: string }
  | { readonly kind: 'not_allowed'; readonly userName: string }
  /** The button points at no IAM user mfa-guard knows (an old message, or a crafted value). */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'error'; readonly error: string };

export const STEPS_TITLE = 'AWS CLI steps';
const ERROR_MAX = 1000;

const modal = (blocks: readonly Block[]): ModalView => ({
  type: 'modal',
  title: plainText(STEPS_TITLE, MODAL_TITLE_MAX),
  close: plainText('Close', MODAL_TITLE_MAX),
  blocks: blocks.slice(0, VIEW_MAX_BLOCKS),
});

const stepsBlocks = (account: AccountRef, userName: string): Block[] => {
  const r = buildRemediation({ accountId: account.accountId, partition: account.partition, userName });
  const m = r.enableMfa;
  const e = escapeMrkdwn;
  const name = inlineCode(truncateMrkdwn(e(userName), 400));
  // One part per command, so no command is ever split between two sections.
  return packSections([
    `*IAM user ${name}* in AWS account ${accountMrkdwn(account)} (${e(account.partition)}).`,
    `\n*Fix 1: enable MFA with the AWS CLI.* ${e(m.cliCredentials)}\n1. Create a virtual MFA device with a QR code:\n${codeBlock(e(m.createQrCode))}`,
    `or with a Base32 key instead:\n${codeBlock(e(m.createBase32))}\n${e(m.secretWarning)}`,
    `${e(m.staleDeviceNote)}\n${codeBlock(e(m.deleteStaleDevice))}`,
    `2. ${e(m.seedStep)}\n3. Enable the device (serial number ${inlineCode(e(m.serialNumber))}):\n${codeBlock(e(m.enable))}`,
    `\n*Fix 2: remove the console password.* ${e(r.removeConsoleAccess.summary)}\n${codeBlock(e(r.removeConsoleAccess.command))}`,
  ]);
};

export const buildStepsView = (input: StepsViewInput): ModalView => {
  switch (input.kind) {
    case 'loading':
      return modal([section(':hourglass_flowing_sand: Loading the AWS CLI steps…')]);
    case 'steps':
      return modal(stepsBlocks(input.account, input.userName));
    case 'not_allowed':
      return modal([
        section(
          `Only the owner of IAM user ${inlineCode(truncateMrkdwn(escapeMrkdwn(input.userName), 200))} or an approver can see its steps.`,
        ),
      ]);
    case 'unknown':
      return modal([
        section(
          'This button points at no IAM user mfa-guard knows now: the message may be old. Run `/mfa-status &lt;iam-user-name&gt;` to see the steps for a user.',
        ),
      ]);
    case 'error':
      return modal([
        section(
          `:warning: mfa-guard could not show the steps: ${truncateMrkdwn(escapeMrkdwn(input.error), ERROR_MAX)}`,
        ),
      ]);
  }
};
