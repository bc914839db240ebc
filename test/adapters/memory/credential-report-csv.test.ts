import {
  CREDENTIAL_REPORT_COLUMNS,
  csvField,
  formatReportDate,
  renderCredentialReport,
  type ReportUserRow,
} from '../../../src/adapters/memory/credential-report-csv';
import { csvRecords, parseCsv } from './parse-csv';

const REAL_IAM_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,' +
  'access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,' +
  'cert_2_last_rotated';

const ROOT = {
  arn: 'arn:aws:iam::111122223333:root',
  createdAt: new Date('2020-01-01T00:00:00Z'),
  passwordLastUsed: null,
  mfaActive: false,
};

const row = (fields: Partial<ReportUserRow>): ReportUserRow => ({
  userName: 'alice',
  arn: 'arn:aws:iam::111122223333:user/alice',
  createdAt: new Date('2024-01-02T03:04:05Z'),
  passwordEnabled: true,
  passwordLastUsed: null,
  passwordLastChanged: new Date('2024-01-02T03:04:05Z'),
  mfaActive: false,
  ...fields,
});

describe('credential report CSV', () => {
  it('has the 22-column header IAM writes', () => {
    expect(CREDENTIAL_REPORT_COLUMNS).toHaveLength(22);
    expect(renderCredentialReport(ROOT, []).split('\n')[0]).toBe(REAL_IAM_HEADER);
  });

  it.each([
    ['2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00+00:00'],
    ['2024-05-01T10:00:00.999Z', '2024-05-01T10:00:00+00:00'],
    ['1999-12-31T23:59:59.000Z', '1999-12-31T23:59:59+00:00'],
  ])('formats %s as %s', (iso, expected) => {
    expect(formatReportDate(new Date(iso))).toBe(expected);
  });

  it.each([
    ['alice', 'alice'],
    ['ops,backup', '"ops,backup"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
  ])('writes field %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes the root row first with not_supported password columns', () => {
    const [root] = csvRecords(renderCredentialReport({ ...ROOT, mfaActive: true }, [row({})]));
    expect(root).toMatchObject({
      user: '<root_account>',
      arn: 'arn:aws:iam::111122223333:root',
      user_creation_time: '2020-01-01T00:00:00+00:00',
      password_enabled: 'not_supported',
      password_last_used: 'no_information',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'true',
    });
  });

  it.each([
    [
      'password never used',
      row({}),
      {
        password_enabled: 'true',
        password_last_used: 'no_information',
        password_last_changed: '2024-01-02T03:04:05+00:00',
      },
    ],
    [
      'password used',
      row({ passwordLastUsed: new Date('2024-04-30T08:00:00Z'), mfaActive: true }),
      { password_enabled: 'true', password_last_used: '2024-04-30T08:00:00+00:00', mfa_active: 'true' },
    ],
    [
      'no password, even if one was used before',
      row({ passwordEnabled: false, passwordLastUsed: new Date('2023-01-01T00:00:00Z') }),
      { password_enabled: 'false', password_last_used: 'N/A', password_last_changed: 'N/A', mfa_active: 'false' },
    ],
  ])('user row: %s', (_case, input, expected) => {
    const [, user] = csvRecords(renderCredentialReport(ROOT, [input]));
    expect(user).toMatchObject({
      ...expected,
      password_next_rotation: 'N/A',
      access_key_1_active: 'false',
      access_key_1_last_used_date: 'N/A',
      access_key_2_active: 'false',
      cert_1_active: 'false',
      cert_2_last_rotated: 'N/A',
    });
  });

  it('quotes a comma-bearing name so every row keeps 22 columns, and appends extra lines raw', () => {
    const content = renderCredentialReport(
      ROOT,
      [row({ userName: 'ops,backup', arn: 'arn:aws:iam::111122223333:user/ops,backup' })],
      ['raw,line'],
    );
    const rows = parseCsv(content);
    expect(rows.slice(0, 3).map((r) => r.length)).toEqual([22, 22, 22]);
    expect(rows[2]?.[0]).toBe('ops,backup');
    expect(content.split('\n').at(-1)).toBe('raw,line');
  });
});
