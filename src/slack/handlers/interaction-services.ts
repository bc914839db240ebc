import type { RequestOrigin } from '../../domain/organization';
import type { DmMessage, DmReplyOutcome } from '../../services/dm-reply';
import type { ButtonClick } from '../../services/finding-click';
import type { AdmitRequest } from '../../services/organization-check';
import type { StepsClick } from '../../services/show-steps';
import type { CommandReply } from '../../services/status-command';
import type { SlackMessage } from '../blocks/block-kit';

/** What the handlers call: each a service over ports, wired in src/app.ts. */
export interface InteractionServices {
  /**
   * Whether a request comes from the workspace (or organization) mfa-guard is installed in: null
   * when it does, else the refusal to answer with (already audited). Called before anything else.
   */
  admit(origin: RequestOrigin, request: AdmitRequest): Promise<SlackMessage | null>;
  status(userId: string, text: string): Promise<CommandReply>;
  recheck(click: ButtonClick): Promise<SlackMessage | null>;
  requestRemoval(click: ButtonClick): Promise<SlackMessage>;
  approveRemoval(click: ButtonClick): Promise<SlackMessage | null>;
  denyRemoval(click: ButtonClick): Promise<SlackMessage | null>;
  publishHome(userId: string): Promise<void>;
  /** Show CLI steps: opens a modal (views.open with the click's trigger_id) before anything else. */
  showSteps(click: StepsClick): Promise<void>;
  /** A message someone wrote in the bot's DM: answered there (chat.postMessage), at most once per event. */
  dmReply(message: DmMessage): Promise<DmReplyOutcome>;
  /** A DM to the person, for answers no response_url can carry; a failure is logged, never thrown. */
  sendDm(userId: string, message: SlackMessage): Promise<void>;
  /** The reply for a failure nothing else caught, in words a person can act on. */
  failureReply(error: unknown): SlackMessage;
}
