/**
 * An owners file that never changes: none at all (no OWNERS_FILE), or one given as text (the
 * demo's sample file, tests). Hashed like the file adapter hashes the file, so audit entries name
 * the same content the same way.
 */
import { parse as parseYaml } from 'yaml';

import { EMPTY_OWNERS_FILE, type OwnersFile, parseOwnersDocument } from '../../domain/owners';
import type { OwnersSnapshot } from '../../domain/owners-snapshot';
import type { OwnersSource } from '../../ports/owners';
import { ownersFileHash } from '../owners-file';
import { SAMPLE_OWNERS_FILE_YAML } from './sample-account';

export const fixedOwnersSource = (ownersFile: OwnersFile, hash: string | null): OwnersSource => {
  const snapshot: OwnersSnapshot = { ownersFile, hash, problem: null };
  return { current: () => Promise.resolve(snapshot) };
};

/** No OWNERS_FILE: no entries, and audit entries say so. */
export const noOwnersFile: OwnersSource = fixedOwnersSource(EMPTY_OWNERS_FILE, null);

/** An owners file given as YAML text; throws the domain's error when it is invalid. */
export const ownersSourceFromYaml = (yaml: string, source: string): OwnersSource =>
  fixedOwnersSource(parseOwnersDocument(parseYaml(yaml), source), ownersFileHash(yaml));

/** The sample account's owners file (the demo, tests). */
export const sampleOwnersSource = (): OwnersSource =>
  ownersSourceFromYaml(SAMPLE_OWNERS_FILE_YAML, 'sample owners file');
