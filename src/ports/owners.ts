import type { OwnersSnapshot } from '../domain/owners-snapshot';

/**
 * Where the owners file comes from. `current()` answers with the file as it is now (read again
 * when its content changed), or with its last good copy and the problem while it is invalid; it
 * never throws for a bad file.
 */
export interface OwnersSource {
  current(): Promise<OwnersSnapshot>;
}
