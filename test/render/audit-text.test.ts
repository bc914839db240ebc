import { type StoredAuditEntry, SYSTEM_ACTOR } from '../../src/domain/audit';
import { renderAuditText } from '../../src/render/audit-text';

const AT = new Date('2026-11-28T14:05:09.123Z');

const entry = (extra: Partial<StoredAuditEntry> = {}): StoredAuditEntry => ({
  id: 1,
  at: AT,
  actor: 'U0APPROVER',
  action: 'removal_approve',
  accountId: '111122223333',
  userName: 'bob',
  outcome: 'succeeded',
  detail: null,
  requestId: 7,
  ...extra,
});

const rowsOf = (text: string): string[][] => text.split('\n').map((line) => line.split(/\s{2,}/));

describe('renderAuditText', () => {
  it('says so when there is nothing to show', () => {
    expect(renderAuditText([])).toBe('No audit entries.');
  });

  it('prints a header, a rule and one aligned row per entry, in the order given', () => {
    const text = renderAuditText([
      entry(),
      entry({
        id: 2,
        at: new Date('2026-11-28T15:00:00Z'),
        actor: SYSTEM_ACTOR,
        action: 'removal_expire',
        outcome: 'succeeded',
        requestId: 12,
        detail: 'no decision within 24 h',
      }),
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(rowsOf(text)[0]).toEqual([
      'TIME (UTC)',
      'ACTOR',
      'ACTION',
      'ACCOUNT',
      'IAM USER',
      'OUTCOME',
      'REQUEST',
      'DETAIL',
    ]);
    expect(lines[1]).toMatch(/^-+( +-+){7}$/);
    expect(rowsOf(text)[2]).toEqual([
      '2026-11-28T14:05:09Z',
      'U0APPROVER',
      'removal_approve',
      '111122223333',
      'bob',
      'succeeded',
      '#7',
      '-',
    ]);
    expect(rowsOf(text)[3]).toEqual([
      '2026-11-28T15:00:00Z',
      'mfa-guard',
      'removal_expire',
      '111122223333',
      'bob',
      'succeeded',
      '#12',
      'no decision within 24 h',
    ]);
    // Aligned: every column starts at the same offset on every line.
    const actionColumn = lines[0]?.indexOf('ACTION');
    expect(lines[2]?.indexOf('removal_approve')).toBe(actionColumn);
    expect(lines[3]?.indexOf('removal_expire')).toBe(actionColumn);
  });

  it("shows each account by its alias, else its organization's name, when known, made safe for a terminal", () => {
    const text = renderAuditText(
      [
        entry(),
        entry({ id: 2, accountId: '444455556666' }),
        entry({ id: 3, accountId: '777788889999' }),
        entry({ id: 4, accountId: '222233334444' }),
      ],
      new Map([
        ['111122223333', { alias: 'acme-prod', name: 'Acme production' }],
        ['444455556666', { alias: 'evil\u001b[31mred', name: null }],
        ['222233334444', { alias: null, name: 'acme-staging' }],
      ]),
    );
    expect(
      rowsOf(text)
        .slice(2)
        .map((row) => row[3]),
    ).toEqual([
      'acme-prod (111122223333)',
      'evil [31mred (444455556666)',
      '777788889999',
      'acme-staging (222233334444)',
    ]);
  });

  it('shows missing account, user, detail and request as "-"', () => {
    const text = renderAuditText([
      entry({ action: 'scan_start', accountId: null, userName: null, detail: null, requestId: null }),
    ]);
    expect(rowsOf(text)[2]).toEqual([
      '2026-11-28T14:05:09Z',
      'U0APPROVER',
      'scan_start',
      '-',
      '-',
      'succeeded',
      '-',
      '-',
    ]);
  });

  it('keeps the whole detail, however long', () => {
    const detail = `AWS said: ${'x'.repeat(300)} end`;
    expect(renderAuditText([entry({ outcome: 'failed', detail })])).toContain(detail);
  });

  it('strips control characters from text it did not write, keeping one line per entry', () => {
    const text = renderAuditText([entry({ userName: 'bob\u001b[2J', detail: 'line one\nline two\r\u0007' })]);
    expect(text.split('\n')).toHaveLength(3);
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('bob [2J');
    expect(text).toContain('line one line two');
  });
});
