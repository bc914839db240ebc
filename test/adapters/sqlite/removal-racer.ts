/**
 * Child process for the removal claim race test: opens its own connection, says "ready", waits for
 * "go" on stdin, then tries to claim the request and prints the answer's kind. Not a test file.
 */
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createRemovalStore } from '../../../src/adapters/sqlite/removal-store';

const [path, id, by, nowIso] = process.argv.slice(2);
if (path === undefined || id === undefined || by === undefined || nowIso === undefined) {
  process.stderr.write('usage: removal-racer <db path> <request id> <approver> <now ISO>\n');
  process.exit(2);
}
const db = openDatabase(path);
const store = createRemovalStore(db);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void store.claim(Number(id), by, new Date(nowIso), `racer:${by}`).then((result) => {
    db.close();
    process.stdout.write(`${result.kind}\n`);
    process.exit(0);
  });
});
