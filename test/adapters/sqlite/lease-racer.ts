/**
 * Child process for the lease race test: opens its own connection, says "ready", waits for "go"
 * on stdin, then tries to take the lease and prints the answer. Not a test file on its own.
 */
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createScanLease } from '../../../src/adapters/sqlite/scan-lease';

const [path, holder, nowIso] = process.argv.slice(2);
if (path === undefined || holder === undefined || nowIso === undefined) {
  process.stderr.write('usage: lease-racer <db path> <holder> <now ISO>\n');
  process.exit(2);
}
const db = openDatabase(path);
const lease = createScanLease(db);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void lease.acquire(holder, new Date(nowIso), 60_000).then((won) => {
    db.close();
    process.stdout.write(won ? 'won\n' : 'lost\n');
    process.exit(0);
  });
});
