import type { EvaluationPolicy } from '../domain/evaluate';
import type { OwnersFile } from '../domain/owners';
import type { AccountRef } from '../domain/types';
import type {
  AuditLog,
  Clock,
  FindingStore,
  IamGateway,
  Logger,
  NotificationStore,
  RemovalStore,
  ScanStore,
  SlackGateway,
} from '../ports';

/** What every answer to a person (command, button, App Home) may use. */
export interface InteractionDeps {
  readonly iam: IamGateway;
  readonly slack: SlackGateway;
  readonly scans: ScanStore;
  readonly findings: FindingStore;
  readonly notifications: NotificationStore;
  readonly removals: RemovalStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ownersFile: OwnersFile;
  /** The AWS account the IAM credentials reach (asked once, then remembered). */
  readonly account: () => Promise<AccountRef>;
  /** Removal requests this process is executing right now: housekeeping must not fail them. */
  readonly executing: Set<number>;
}

export interface InteractionSettings {
  readonly policy: EvaluationPolicy;
  readonly approvers: readonly string[];
  readonly securityChannel: string;
  readonly approvalChannel: string;
  readonly removalEnabled: boolean;
  readonly allowSelfApproval: boolean;
  readonly removalRequestTtlHours: number;
}
