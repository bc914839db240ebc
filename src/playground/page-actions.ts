/**
 * What the page asks the playground to do, each checked before anything happens: who acts (one
 * of the sample people), where a clicked button is and that it is really there for them. What
 * reaches the bot goes through signed-requests.ts to its real receiver; nothing skips it.
 */
import type { SettableClock } from '../adapters/settable-clock';
import { AppError, describeError, isAppError } from '../errors';
import { messageWhere } from './page-views';
import { personById, PLAYGROUND_CHANNEL } from './people';
import { addUser, changeUser, isUserChange, type PlaygroundAccount } from './sample-controls';
import {
  type BotReceiver,
  type ClickContainer,
  type Delivered,
  sendClick,
  sendCommand,
  sendDirectMessage,
  sendHomeOpened,
} from './signed-requests';
import type { SlackStandIn, StandInMessage } from './slack-stand-in';

export interface PlaygroundWorld {
  readonly standIn: SlackStandIn;
  readonly receiver: BotReceiver;
  readonly clock: SettableClock;
  readonly accounts: readonly PlaygroundAccount[];
  /** What the bot's schedule runs: settle overdue removal requests, then scan and notify. */
  runScheduled(): Promise<void>;
}

export type ActionResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

type Body = Readonly<Record<string, unknown>>;

const HOUR_MS = 3_600_000;
/** The steps the clock moves by: an hour, a day, a week. */
const CLOCK_STEPS_HOURS: readonly number[] = [1, 24, 168];
const MAX_TEXT = 4000;

const refused = (message: string): AppError => new AppError('usage', message);

const stringField = (body: Body, name: string, max = MAX_TEXT): string => {
  const value = body[name];
  if (typeof value !== 'string') throw refused(`The request has no ${name}.`);
  if (value.length > max) throw refused(`${name} is longer than ${max} characters.`);
  return value;
};

const person = (body: Body): string => {
  const id = stringField(body, 'as', 64);
  if (personById(id) === undefined) throw refused('Pick one of the sample people first.');
  return id;
};

const acked = (delivered: Delivered): void => {
  if (delivered.status !== 200)
    throw new AppError('slack_request_failed', `The bot answered HTTP ${delivered.status}: ${delivered.body}`);
};

interface FoundButton {
  readonly actionId: string;
  readonly value: string;
}

/** The button with this action_id and value among the blocks, if there is one. */
const hasButton = (blocks: unknown, wanted: FoundButton): boolean => {
  if (!Array.isArray(blocks)) return false;
  const buttons = blocks.flatMap((block: unknown): unknown[] => {
    if (typeof block !== 'object' || block === null) return [];
    const accessory: unknown[] = 'accessory' in block ? [block.accessory] : [];
    const elements: unknown[] = 'elements' in block && Array.isArray(block.elements) ? block.elements : [];
    return [...accessory, ...elements];
  });
  return buttons.some(
    (b) =>
      typeof b === 'object' &&
      b !== null &&
      'action_id' in b &&
      b.action_id === wanted.actionId &&
      'value' in b &&
      b.value === wanted.value,
  );
};

const visibleMessage = (world: PlaygroundWorld, as: string, where: string): StandInMessage | undefined => {
  const dm = world.standIn.dmChannel(as);
  // Ephemeral messages only for whom they were sent; others in their DM or the security channel.
  return world.standIn
    .messages()
    .find(
      (m) =>
        messageWhere(m) === where &&
        (m.visibleTo === null ? m.channel === dm || m.channel === PLAYGROUND_CHANNEL.id : m.visibleTo === as),
    );
};

const click = async (world: PlaygroundWorld, body: Body): Promise<void> => {
  const as = person(body);
  const where = stringField(body, 'where', 300);
  const button = { actionId: stringField(body, 'actionId', 255), value: stringField(body, 'value', 2000) };
  const { standIn, receiver } = world;
  const triggerId = standIn.triggerId(as);
  if (where === 'home' || where.startsWith('modal:')) {
    const modal = standIn.modal(as);
    const view = where === 'home' ? standIn.home(as) : modal?.id === where.slice(6) ? modal.view : null;
    if (view === null || !hasButton(view.blocks, button)) throw refused('That button is no longer there.');
    const container: ClickContainer = {
      kind: 'view',
      viewId: where === 'home' ? `VH${as}` : where.slice(6),
      viewType: where === 'home' ? 'home' : 'modal',
    };
    acked(await sendClick(receiver, { userId: as, ...button, container, triggerId, responseUrl: null }));
    return;
  }
  const message = visibleMessage(world, as, where);
  if (message === undefined || !hasButton(message.blocks, button)) throw refused('That button is no longer there.');
  const responseUrl = standIn.responseUrl({ userId: as, channel: message.channel, messageId: message.id });
  const container: ClickContainer = {
    kind: 'message',
    channel: message.channel,
    ts: message.ts,
    ephemeral: message.visibleTo !== null,
  };
  acked(await sendClick(receiver, { userId: as, ...button, container, triggerId, responseUrl }));
};

/** What a person types in their DM with the bot: `/mfa-status …`, or a message. */
const say = async (world: PlaygroundWorld, body: Body): Promise<void> => {
  const as = person(body);
  const text = stringField(body, 'text').trim();
  if (text === '') throw refused('Type something first.');
  const channel = world.standIn.dmChannel(as);
  const command = /^\/mfa-status(?:\s+([\s\S]*))?$/.exec(text);
  if (command !== null) {
    const responseUrl = world.standIn.responseUrl({ userId: as, channel, messageId: null });
    acked(await sendCommand(world.receiver, { userId: as, channel, text: command[1] ?? '', responseUrl }));
    return;
  }
  if (text.startsWith('/')) throw refused('The bot has one command: /mfa-status.');
  const message = world.standIn.postUserMessage(as, text);
  acked(await sendDirectMessage(world.receiver, { userId: as, channel, text, ts: message.ts }));
};

const handlers: Readonly<Record<string, (world: PlaygroundWorld, body: Body) => Promise<void>>> = {
  say,
  click,
  home: async (world, body) => {
    const as = person(body);
    acked(await sendHomeOpened(world.receiver, { userId: as, channel: world.standIn.dmChannel(as) }));
  },
  'close-modal': async (world, body) => world.standIn.closeModal(person(body)),
  clock: async (world, body) => {
    const hours = body.hours;
    if (typeof hours !== 'number' || !CLOCK_STEPS_HOURS.includes(hours))
      throw refused('The clock moves forward by 1, 24 or 168 hours.');
    world.clock.advance(hours * HOUR_MS);
  },
  scan: (world) => world.runScheduled(),
  'change-user': async (world, body) => {
    const change = body.change;
    if (!isUserChange(change)) throw refused('Unknown change.');
    changeUser(
      world.accounts,
      { accountId: stringField(body, 'account', 12), userName: stringField(body, 'user', 64), change },
      world.clock.now(),
    );
  },
  'add-user': async (world, body) => {
    addUser(
      world.accounts,
      {
        accountId: stringField(body, 'account', 12),
        userName: stringField(body, 'user', 200),
        ownerTag: stringField(body, 'ownerTag', 300),
        exemptTag: stringField(body, 'exemptTag', 300),
      },
      world.clock.now(),
    );
  },
};

export const PAGE_ACTIONS: readonly string[] = Object.keys(handlers);

/** Runs one page action; a refusal or failure is an answer the page shows, never a crash. */
export const runPageAction = async (world: PlaygroundWorld, name: string, body: Body): Promise<ActionResult> => {
  const handler = handlers[name];
  if (handler === undefined) return { ok: false, error: `Unknown action ${name}.` };
  try {
    await handler(world, body);
    return { ok: true };
  } catch (error) {
    const message = isAppError(error) && error.hint ? `${error.message} ${error.hint}` : describeError(error);
    return { ok: false, error: message };
  }
};
