import type { AuditEntry } from '../../src/domain/audit';
import { ACCOUNT_A, at, rejection } from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

export const auditEntry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: at(0),
  actor: 'UAPPROVER',
  action: 'removal_approve',
  accountId: ACCOUNT_A,
  userName: 'alice',
  outcome: 'succeeded',
  detail: null,
  requestId: 7,
  ...overrides,
});

/** The behaviour every AuditLog must have, checked through the port only. */
export function describeAuditLogContract(adapterName: string, open: StoreFactory): void {
  describe(`AuditLog contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);

    const withLines = async (): Promise<{ log: Awaited<ReturnType<typeof storesOf>>['audit']; lines: string[] }> => {
      const lines: string[] = [];
      const { audit } = await storesOf((line) => lines.push(line));
      return { log: audit, lines };
    };

    it('stores an entry and writes it as one JSON line with its id', async () => {
      const { log, lines } = await withLines();
      const detailed = auditEntry({ detail: 'AccessDenied: "quoted"\nsecond line' });
      const id = await log.record(detailed);
      expect(id).toBeGreaterThan(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('\n');
      expect(JSON.parse(lines[0] ?? '')).toEqual({
        type: 'audit',
        id,
        at: '2025-03-01T10:00:00.000Z',
        actor: 'UAPPROVER',
        action: 'removal_approve',
        accountId: ACCOUNT_A,
        userName: 'alice',
        outcome: 'succeeded',
        detail: 'AccessDenied: "quoted"\nsecond line',
        requestId: 7,
      });
      expect(await log.entries(null)).toEqual([{ ...detailed, id }]);
    });

    it('keeps null fields null', async () => {
      const { log } = await withLines();
      const bare = auditEntry({
        actor: 'mfa-guard',
        action: 'scan_start',
        accountId: null,
        userName: null,
        detail: null,
        requestId: null,
      });
      const id = await log.record(bare);
      expect(await log.entries(null)).toEqual([{ ...bare, id }]);
    });

    it('answers entries oldest first, and only those at or after `since`', async () => {
      const { log } = await withLines();
      const late = await log.record(auditEntry({ at: at(20), action: 'removal_execute' }));
      const early = await log.record(auditEntry({ at: at(5), action: 'removal_request' }));
      const same = await log.record(auditEntry({ at: at(20), action: 'finding_closed' }));
      const middle = await log.record(auditEntry({ at: at(10), action: 'removal_deny', outcome: 'refused' }));
      expect((await log.entries(null)).map((e) => e.id)).toEqual([early, middle, late, same]);
      expect((await log.entries(at(10))).map((e) => e.id)).toEqual([middle, late, same]);
      expect((await log.entries(new Date(at(10).getTime() + 1))).map((e) => e.id)).toEqual([late, same]);
      expect(await log.entries(at(21))).toEqual([]);
    });

    it('is empty on a new database', async () => {
      const { log } = await withLines();
      expect(await log.entries(null)).toEqual([]);
      expect(await log.entries(at(0))).toEqual([]);
    });

    it('keeps the stored entry and says exactly what was lost when its line cannot be written', async () => {
      const { audit } = await storesOf(() => {
        throw new Error('EPIPE: broken pipe');
      });
      const thrown = await rejection(audit.record(auditEntry()));
      expect(thrown).toMatchObject({
        code: 'audit_output_failed',
        message: expect.stringContaining('was stored, but its JSON line could not be written: Error: EPIPE'),
      });
      expect(await audit.entries(null)).toEqual([{ ...auditEntry(), id: expect.any(Number) }]);
    });
  });
}
