import type { EvaluationPolicy } from '../domain/evaluate';
import type { LiveCheckLimits } from '../domain/rate-limit';

/** The settings the answers to people (command, buttons, App Home) follow. */
export interface InteractionSettings {
  readonly policy: EvaluationPolicy;
  readonly approvers: readonly string[];
  readonly securityChannel: string;
  readonly approvalChannel: string;
  readonly removalEnabled: boolean;
  readonly allowSelfApproval: boolean;
  readonly removalRequestTtlHours: number;
  /** How many live IAM checks people may start from Slack per minute, each and in all. */
  readonly liveChecks: LiveCheckLimits;
}
