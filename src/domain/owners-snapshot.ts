/**
 * The owners file as mfa-guard uses it at one moment. The file is read again while the bot runs,
 * so an edit (a new exemption, say) counts from the next scan, Recheck or removal; a bad edit
 * must neither drop every owner nor let a removal run on an exemption list nobody can read.
 */
import type { OwnersFile } from './owners';

/** Why the owners file on disk is not in use. */
export interface OwnersFileProblem {
  /** What is wrong (the file, the line or key), in words a person can act on. */
  readonly message: string;
  /** sha256 (hex) of the bad content; null when the file could not be read at all. */
  readonly hash: string | null;
}

export interface OwnersSnapshot {
  /** The entries to use: the file as it is, or its last good copy while the file is invalid. */
  readonly ownersFile: OwnersFile;
  /** sha256 (hex) of the bytes `ownersFile` was parsed from; null when there is no owners file. */
  readonly hash: string | null;
  /** Non-null while the file on disk is invalid: `ownersFile` is then the last good copy. */
  readonly problem: OwnersFileProblem | null;
}

const SHORT_HASH = 12;

/** How an audit entry names the owners file a decision used: `owners file sha256:<12 hex>`. */
export const ownersFileLabel = (hash: string | null): string =>
  hash === null ? 'no owners file' : `owners file sha256:${hash.slice(0, SHORT_HASH)}`;

/** Tells one bad content from another, so each is reported once. */
export const problemKey = (problem: OwnersFileProblem): string => problem.hash ?? `unreadable: ${problem.message}`;

/** Why a removal is refused while the owners file is invalid (audit detail and answer text). */
export const ownersRefusal = (problem: OwnersFileProblem): string =>
  `the owners file is invalid, so no console password is removed until it is fixed (its exemptions cannot be read): ${problem.message}`;

/** The same, as the answer to the person who clicked, with what was (not) done. */
export const ownersRefusalAnswer = (problem: OwnersFileProblem, outcome: string): string =>
  `The ${ownersRefusal(problem).slice('the '.length)}. ${outcome}`;

/** The security channel's message about an invalid owners file. */
export interface OwnersFileProblemInput {
  readonly problem: OwnersFileProblem;
  /** The hash of the last good copy still in use. */
  readonly lastGoodHash: string | null;
}
