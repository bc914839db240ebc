import type { Stores } from '../../src/ports/stores';

/** Every store over one new database, and how to let go of it. */
export interface OpenedStores {
  readonly stores: Stores;
  /** Closes the database and removes whatever was created for it. */
  close(): Promise<void>;
}

/**
 * What an adapter hands the contract suites: opens every store over a new, empty database at the
 * current schema. `auditLine` receives the audit log's JSON lines; without it they are dropped.
 */
export type StoreFactory = (auditLine?: (line: string) => void) => Promise<OpenedStores>;

/**
 * Opens stores through `open` for the tests of the enclosing describe and closes them after each
 * test. Call it inside a describe block.
 */
export const storesFor = (open: StoreFactory): ((auditLine?: (line: string) => void) => Promise<Stores>) => {
  const opened: OpenedStores[] = [];
  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
  });
  return async (auditLine) => {
    const each = await open(auditLine);
    opened.push(each);
    return each.stores;
  };
};
