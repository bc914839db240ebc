/**
 * The page's parts as HTML, from what the Slack stand-in stores and the sample accounts hold, as
 * one person sees them: their DM with the bot, #security-alerts, their App Home, their open modal.
 * Every text goes through block-kit-html.ts / mrkdwn-html.ts, which escape it.
 */
import { blocksHtml } from './block-kit-html';
import { escapeHtml, type NameOf, plainToHtml } from './mrkdwn-html';
import { personById } from './people';
import type { PlaygroundAccount } from './sample-controls';
import type { SlackStandIn, StandInMessage } from './slack-stand-in';

/** A message's buttons name it so: the page sends this back with a click. */
export const messageWhere = (message: StandInMessage): string =>
  message.visibleTo === null ? `msg:${message.channel}:${message.ts}` : `eph:${message.id}`;

export const nameOf =
  (standIn: SlackStandIn): NameOf =>
  (userId) =>
    userId === standIn.bot.userId ? standIn.bot.name : personById(userId)?.name;

const messageHtml = (standIn: SlackStandIn, message: StandInMessage): string => {
  const names = nameOf(standIn);
  const fromBot = message.from === standIn.bot.userId;
  const author = escapeHtml(names(message.from) ?? message.from);
  const badges = [
    fromBot ? '<span class="badge">APP</span>' : '',
    message.visibleTo === null ? '' : '<span class="badge ephemeral">Only visible to you</span>',
    message.edited ? '<span class="edited">(edited)</span>' : '',
  ].join('');
  const body =
    message.blocks.length > 0
      ? blocksHtml(message.blocks, messageWhere(message), names)
      : `<div class="bk-text">${plainToHtml(message.text)}</div>`;
  return (
    `<article class="message${fromBot ? ' from-bot' : ''}${message.visibleTo === null ? '' : ' ephemeral'}" ` +
    `id="message-${escapeHtml(message.id)}"><div class="author">${author}${badges}</div>${body}</article>`
  );
};

/** The messages of one conversation that `as` sees: everyone's, and the ephemeral ones for them. */
export const conversationHtml = (standIn: SlackStandIn, channel: string, as: string): string => {
  const visible = standIn
    .messages()
    .filter((m) => m.channel === channel && (m.visibleTo === null || m.visibleTo === as));
  return visible.length === 0
    ? '<p class="empty">No messages yet.</p>'
    : visible.map((m) => messageHtml(standIn, m)).join('');
};

export const homeHtml = (standIn: SlackStandIn, as: string): string => {
  const view = standIn.home(as);
  return view === null
    ? '<p class="empty">Nothing published yet: open the App Home to have the bot publish it.</p>'
    : blocksHtml(view.blocks, 'home', nameOf(standIn));
};

export const modalHtml = (standIn: SlackStandIn, as: string): string | null => {
  const modal = standIn.modal(as);
  if (modal === null) return null;
  const names = nameOf(standIn);
  const { title, close } = modal.view;
  const text = (value: unknown): string =>
    typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string'
      ? plainToHtml(value.text)
      : '';
  return (
    `<div class="modal" role="dialog" aria-modal="true"><div class="modal-title">${text(title)}</div>` +
    `<div class="modal-body">${blocksHtml(modal.view.blocks, `modal:${modal.id}`, names)}</div>` +
    `<div class="modal-footer"><button type="button" class="bk-button" data-close-modal>${text(close) || 'Close'}</button></div></div>`
  );
};

export const accountsHtml = (accounts: readonly PlaygroundAccount[]): string =>
  accounts
    .map((account) => {
      const head = `<h3>${escapeHtml(account.label)}</h3>`;
      if (account.refusing)
        return `<section class="account">${head}<p class="note">Its role refuses the AssumeRole: every scan reports it as failed.</p></section>`;
      const rows = account.iam
        .currentUsers()
        .map((user) => {
          const state = !user.loginProfile
            ? 'no console password'
            : user.mfaDevices.length > 0
              ? 'password + MFA'
              : 'password, no MFA';
          const data = `data-account="${escapeHtml(account.accountId)}" data-user="${escapeHtml(user.userName)}"`;
          const button = (change: string, label: string): string =>
            `<button type="button" class="small" ${data} data-change="${change}">${label}</button>`;
          const buttons = [
            user.loginProfile && user.mfaDevices.length === 0 ? button('enable_mfa', 'Enable MFA') : '',
            user.mfaDevices.length > 0 ? button('remove_mfa', 'Lose MFA') : '',
            user.loginProfile ? button('remove_password', 'Lose password') : button('add_password', 'Add password'),
          ].join('');
          return `<tr><td class="user-name">${escapeHtml(user.userName)}</td><td>${state}</td><td>${buttons}</td></tr>`;
        })
        .join('');
      return `<section class="account">${head}<table>${rows}</table></section>`;
    })
    .join('');
