import type { EvaluationPolicy } from '../domain/evaluate';

/** The settings the answers to people (command, buttons, App Home) follow. */
export interface InteractionSettings {
  readonly policy: EvaluationPolicy;
  readonly approvers: readonly string[];
  readonly securityChannel: string;
  readonly approvalChannel: string;
  readonly removalEnabled: boolean;
  readonly allowSelfApproval: boolean;
  readonly removalRequestTtlHours: number;
}
