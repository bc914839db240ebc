import type Database from 'better-sqlite3';

import type {
  CreateRemovalResult,
  DecideResult,
  FinishedRemoval,
  NewRemovalRequest,
  RemovalOutcome,
  RemovalRequest,
} from '../../domain/removal';
import { isPastExpiry, lateRemovalDetail } from '../../domain/removal';
import type { PostedMessage } from '../../domain/slack-records';
import { AppError } from '../../errors';
import type { RemovalStore } from '../../ports/stores';
import { guarded } from './database-error';
import { prepareSaveLiveResult } from './live-result';
import { newRemovalParams, removalFromRow } from './removal-row';
import { isRow, rowReader, toIso } from './row-reader';

const INSERT = `
INSERT INTO removal_requests (account_id, user_name, user_id, finding_id, requested_by, requested_at, expires_at, state, updated_at)
VALUES (@account_id, @user_name, @user_id, @finding_id, @requested_by, @requested_at, @expires_at, 'pending', @updated_at)`;

// Expiry is compared as ISO-8601 text, which orders like time; "past expiry" includes the instant
// itself, like isPastExpiry.
const EXPIRE_USER = `
UPDATE removal_requests SET state = 'expired', updated_at = @now
WHERE account_id = @account_id AND user_id = @user_id AND state = 'pending' AND expires_at <= @now`;

const EXPIRE_DUE = `
UPDATE removal_requests SET state = 'expired', updated_at = @now
WHERE state = 'pending' AND expires_at <= @now
RETURNING *`;

// A claim made before schema v4 has no heartbeat: its claim time (decided_at) stands in for it.
// claim_holder stays, saying which process was cut off.
const FAIL_INTERRUPTED = `
UPDATE removal_requests SET state = 'failed', detail = @detail, updated_at = @now
WHERE state = 'executing' AND COALESCE(heartbeat_at, decided_at) < @before
  AND id NOT IN (SELECT value FROM json_each(@running))
RETURNING *`;

const DISCARD_UNPOSTED = `
DELETE FROM removal_requests
WHERE state = 'pending' AND approval_channel IS NULL AND requested_at < @before
RETURNING *`;

const SELECT_OPEN = `
SELECT * FROM removal_requests
WHERE (state = 'pending' AND expires_at > ?) OR state = 'executing'
ORDER BY requested_at, id`;

const TO_EXECUTING = `
UPDATE removal_requests
SET state = 'executing', decided_by = @by, decided_at = @now, detail = NULL, updated_at = @now,
    claim_holder = @holder, heartbeat_at = @now
WHERE id = @id AND state = @from`;

const RENEW_CLAIM = `
UPDATE removal_requests SET heartbeat_at = @now
WHERE id = @id AND state = 'executing' AND claim_holder = @holder`;

const TO_DENIED = `
UPDATE removal_requests SET state = 'denied', decided_by = @by, decided_at = @now, updated_at = @now
WHERE id = @id AND state = 'pending'`;

const TO_EXPIRED =
  "UPDATE removal_requests SET state = 'expired', updated_at = @now WHERE id = @id AND state = 'pending'";

const SELECT_OPEN_FINDING = `
SELECT id FROM findings
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id AND closed_at IS NULL`;

// The user's open finding, whichever it is now: a scan may have replaced the one the request
// recorded. Closed by the approver, not by a scan.
const CLOSE_OPEN_FINDING = `
UPDATE findings SET closed_at = @closed_at, close_reason = 'fixed', closed_by = @closed_by
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id AND closed_at IS NULL
RETURNING id`;

const TO_FINAL = `
UPDATE removal_requests SET state = @state, detail = @detail, updated_at = @now
WHERE id = @id AND state = 'executing' AND claim_holder = @holder`;

// The claim was taken away, but the password is gone: that is recorded over whatever the request
// became meanwhile (a done request stays as it is).
const TO_DONE_LATE = `
UPDATE removal_requests SET state = 'done', detail = @detail, updated_at = @now
WHERE id = @id AND state IN ('failed', 'not_needed', 'executing')`;

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE';

const bug = (message: string): AppError =>
  new AppError('database_error', message, { hint: 'This is a bug in mfa-guard; please report it.' });

/**
 * Removal requests in SQLite. Every state change is one IMMEDIATE transaction that re-reads the
 * request under the write lock, so two approvers, double clicks, Slack retries and other processes
 * on the same file can move a request only once.
 */
export function createRemovalStore(db: Database.Database): RemovalStore {
  const selectById = db.prepare('SELECT * FROM removal_requests WHERE id = ?');
  const selectOpenForUser = db.prepare(
    "SELECT * FROM removal_requests WHERE account_id = ? AND user_id = ? AND state IN ('pending', 'executing') ORDER BY id LIMIT 1",
  );
  const selectOpen = db.prepare(SELECT_OPEN);
  const insert = db.prepare(INSERT);
  const expireUser = db.prepare(EXPIRE_USER);
  const expireDue = db.prepare(EXPIRE_DUE);
  const failInterrupted = db.prepare(FAIL_INTERRUPTED);
  const discardUnposted = db.prepare(DISCARD_UNPOSTED);
  const toExecuting = db.prepare(TO_EXECUTING);
  const toDenied = db.prepare(TO_DENIED);
  const toExpired = db.prepare(TO_EXPIRED);
  const toFinal = db.prepare(TO_FINAL);
  const toDoneLate = db.prepare(TO_DONE_LATE);
  const renewClaim = db.prepare(RENEW_CLAIM);
  const updateApproval = db.prepare('UPDATE removal_requests SET approval_channel = ?, approval_ts = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM removal_requests WHERE id = ?');
  const selectOpenFinding = db.prepare(SELECT_OPEN_FINDING);
  const closeOpenFinding = db.prepare(CLOSE_OPEN_FINDING);
  const saveLiveResult = prepareSaveLiveResult(db);

  const read = (id: number): RemovalRequest | null => {
    const row: unknown = selectById.get(id);
    return isRow(row) ? removalFromRow(row) : null;
  };

  /** Re-reads a request this transaction just changed: it must still be there. */
  const reread = (id: number): RemovalRequest => {
    const request = read(id);
    if (request === null) throw bug(`Removal request ${id} vanished while it was being changed.`);
    return request;
  };

  const openForUser = (accountId: string, userId: string): RemovalRequest | null => {
    const row: unknown = selectOpenForUser.get(accountId, userId);
    return isRow(row) ? removalFromRow(row) : null;
  };

  const userKey = (request: Pick<RemovalRequest, 'accountId' | 'userName' | 'userId'>): Record<string, string> => ({
    account_id: request.accountId,
    user_name: request.userName,
    user_id: request.userId,
  });

  const idOf = (row: unknown): number | null => (isRow(row) ? rowReader('findings', row).integer('id') : null);

  /** A pending request past its expiry becomes expired on the spot, so whoever asks sees why. */
  const expiredNow = (request: RemovalRequest, now: Date): DecideResult => {
    toExpired.run({ id: request.id, now: toIso(now) });
    return { kind: 'refused', request: reread(request.id) };
  };

  const create = db.transaction((request: NewRemovalRequest, now: Date): CreateRemovalResult => {
    expireUser.run({ account_id: request.accountId, user_id: request.userId, now: toIso(now) });
    const existing = openForUser(request.accountId, request.userId);
    if (existing !== null) return { kind: 'already_open', request: existing };
    const findingId = idOf(selectOpenFinding.get(userKey(request)));
    try {
      const { lastInsertRowid } = insert.run(newRemovalParams(request, findingId, now));
      return { kind: 'created', request: reread(Number(lastInsertRowid)) };
    } catch (error) {
      // Belt and braces: the write lock already keeps a second writer out, but should the partial
      // unique index fire anyway, the request that won is the answer.
      const winner = isUniqueViolation(error) ? openForUser(request.accountId, request.userId) : null;
      if (winner === null) throw error;
      return { kind: 'already_open', request: winner };
    }
  });

  const claim = db.transaction((id: number, by: string, now: Date, holder: string): DecideResult => {
    const request = read(id);
    if (request === null) return { kind: 'not_found' };
    const expired = isPastExpiry(request, now);
    if (request.state === 'pending' && expired) return expiredNow(request, now);
    if ((request.state !== 'pending' && request.state !== 'failed') || expired) return { kind: 'refused', request };
    // A retry of a failed request must not run next to a newer request for the same user.
    if (request.state === 'failed' && openForUser(request.accountId, request.userId) !== null) {
      return { kind: 'refused', request };
    }
    toExecuting.run({ id, by, now: toIso(now), from: request.state, holder });
    return { kind: 'claimed', request: reread(id) };
  });

  const deny = db.transaction((id: number, by: string, now: Date): DecideResult => {
    const request = read(id);
    if (request === null) return { kind: 'not_found' };
    if (request.state !== 'pending') return { kind: 'refused', request };
    if (isPastExpiry(request, now)) return expiredNow(request, now);
    toDenied.run({ id, by, now: toIso(now) });
    return { kind: 'claimed', request: reread(id) };
  });

  /** The password is gone: the user's state and open finding say so, in the caller's transaction. */
  const saveFixed = (request: RemovalRequest, outcome: RemovalOutcome, now: Date): number | null => {
    if (outcome.state !== 'done' || outcome.fixed === null) return null;
    saveLiveResult(outcome.fixed.result);
    const closed = closeOpenFinding.get({
      ...userKey(request),
      closed_at: toIso(now),
      closed_by: outcome.fixed.closedBy,
    });
    return idOf(closed);
  };

  const finish = db.transaction((id: number, outcome: RemovalOutcome, now: Date, holder: string): FinishedRemoval => {
    const request = read(id);
    if (request === null || request.state === 'pending' || request.state === 'denied' || request.state === 'expired') {
      throw bug(
        `Cannot mark removal request ${id} as ${outcome.state}: it is ${request === null ? 'not in the database' : request.state}; it was never claimed.`,
      );
    }
    if (request.state === 'executing' && request.claimHolder === holder) {
      toFinal.run({ id, state: outcome.state, detail: outcome.detail, now: toIso(now), holder });
      const closedFindingId = saveFixed(request, outcome, now);
      return { kind: 'finished', request: reread(id), closedFindingId };
    }
    const previous = request.state;
    if (outcome.state !== 'done' || previous === 'done') return { kind: 'unchanged', request };
    toDoneLate.run({ id, detail: lateRemovalDetail(previous, outcome.detail), now: toIso(now) });
    const closedFindingId = saveFixed(request, outcome, now);
    return { kind: 'corrected', request: reread(id), previous, closedFindingId };
  });

  const expire = db.transaction((now: Date): RemovalRequest[] =>
    expireDue
      .all({ now: toIso(now) })
      .filter(isRow)
      .map(removalFromRow)
      .sort((a, b) => a.id - b.id),
  );

  const interrupted = db.transaction(
    (heartbeatBefore: Date, detail: string, now: Date, running: readonly number[]): RemovalRequest[] =>
      failInterrupted
        .all({ before: toIso(heartbeatBefore), detail, now: toIso(now), running: JSON.stringify(running) })
        .filter(isRow)
        .map(removalFromRow)
        .sort((a, b) => a.id - b.id),
  );

  const unposted = db.transaction((createdBefore: Date): RemovalRequest[] =>
    discardUnposted
      .all({ before: toIso(createdBefore) })
      .filter(isRow)
      .map(removalFromRow)
      .sort((a, b) => a.id - b.id),
  );

  const setApproval = db.transaction((id: number, message: PostedMessage): RemovalRequest => {
    if (updateApproval.run(message.channel, message.ts, id).changes !== 1) {
      throw bug(`Cannot record the approval message of removal request ${id}: there is no such request.`);
    }
    return reread(id);
  });

  const discard = db.transaction((id: number): void => {
    const request = read(id);
    // Already gone: nothing left to discard.
    if (request === null) return;
    if (request.state !== 'pending' || request.approvalChannel !== null) {
      throw bug(
        `Cannot discard removal request ${id}: it is ${request.state}${request.approvalChannel === null ? '' : ' and its approval message was posted'}; only a pending request nobody was shown can be discarded.`,
      );
    }
    remove.run(id);
  });

  return {
    create: (request, now) =>
      guarded(`create a removal request for user "${request.userName}" in account ${request.accountId}`, () =>
        create.immediate(request, now),
      ),
    get: (id) => guarded(`read removal request ${id}`, () => read(id)),
    setApprovalMessage: (id, message) =>
      guarded(`record the approval message of removal request ${id}`, () => setApproval.immediate(id, message)),
    discard: (id) => guarded(`discard removal request ${id}`, () => discard.immediate(id)),
    claim: (id, by, now, holder) =>
      guarded(`approve removal request ${id}`, () => claim.immediate(id, by, now, holder)),
    renewClaim: (id, holder, now) =>
      guarded(
        `renew the claim on removal request ${id}`,
        () => renewClaim.run({ id, holder, now: toIso(now) }).changes === 1,
      ),
    deny: (id, by, now) => guarded(`deny removal request ${id}`, () => deny.immediate(id, by, now)),
    finish: (id, outcome, now, holder) =>
      guarded(`record the outcome of removal request ${id}`, () => finish.immediate(id, outcome, now, holder)),
    expireDue: (now) => guarded('expire overdue removal requests', () => expire.immediate(now)),
    failInterrupted: (heartbeatBefore, detail, now, stillRunning) =>
      guarded('fail interrupted removals', () => interrupted.immediate(heartbeatBefore, detail, now, stillRunning)),
    discardUnposted: (createdBefore) =>
      guarded('discard removal requests never posted', () => unposted.immediate(createdBefore)),
    open: (now) =>
      guarded('read the open removal requests', () => selectOpen.all(toIso(now)).filter(isRow).map(removalFromRow)),
  };
}
