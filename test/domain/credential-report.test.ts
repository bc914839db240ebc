import { parseCredentialReport } from '../../src/domain/credential-report';
import { AppError } from '../../src/errors';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active';
const ROOT =
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false';
const row = (name: string, fields: Partial<Record<'created' | 'pw' | 'pwUsed' | 'mfa', string>> = {}): string =>
  [
    name,
    `arn:aws:iam::123456789012:user/${name}`,
    fields.created ?? '2024-01-02T03:04:05+00:00',
    fields.pw ?? 'true',
    fields.pwUsed ?? '2024-03-01T00:00:00+00:00',
    'N/A',
    'N/A',
    fields.mfa ?? 'false',
    'false',
  ].join(',');

const report = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

describe('parseCredentialReport', () => {
  it('parses a typical report, with the root row kept apart', () => {
    const parsed = parseCredentialReport(
      report(ROOT, row('alice'), row('bob', { mfa: 'true', pwUsed: 'no_information' })),
    );
    expect(parsed.root).toEqual({ arn: 'arn:aws:iam::123456789012:root', mfaActive: true });
    expect(parsed.untrusted).toEqual([]);
    expect(parsed.users).toEqual([
      {
        userName: 'alice',
        arn: 'arn:aws:iam::123456789012:user/alice',
        userCreationTime: new Date('2024-01-02T03:04:05Z'),
        passwordEnabled: true,
        passwordLastUsed: new Date('2024-03-01T00:00:00Z'),
        mfaActive: false,
      },
      {
        userName: 'bob',
        arn: 'arn:aws:iam::123456789012:user/bob',
        userCreationTime: new Date('2024-01-02T03:04:05Z'),
        passwordEnabled: true,
        passwordLastUsed: null,
        mfaActive: true,
      },
    ]);
    expect(parsed.users.map((u) => u.userName)).not.toContain('<root_account>');
  });

  it('has a null root when the report has no root row', () => {
    expect(parseCredentialReport(report(row('alice'))).root).toBeNull();
  });

  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
    ['N/A', null],
    ['n/a', null],
    ['no_information', null],
    ['NO_INFORMATION', null],
    ['not_supported', null],
    ['Not_Supported', null],
    ['', null],
    ['yes', null],
  ])('reads password_enabled / mfa_active %j as %p', (value, expected) => {
    const [user] = parseCredentialReport(report(row('alice', { pw: value, mfa: value }))).users;
    expect(user?.passwordEnabled).toBe(expected);
    expect(user?.mfaActive).toBe(expected);
  });

  it.each([
    ['2024-01-02T03:04:05+00:00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.123+02:00', '2024-01-02T01:04:05.123Z'],
    ['2024-01-02T03:04:05-0500', '2024-01-02T08:04:05.000Z'],
    ['N/A', null],
    ['no_information', null],
    ['not_supported', null],
    ['NOT_SUPPORTED', null],
    ['', null],
    ['yesterday', null],
    ['2024-02-30T00:00:00+00:00', null],
    ['2024-13-01T00:00:00+00:00', null],
    ['2024-01-02T24:00:00+00:00', null],
    ['2024-01-02', null],
    ['2024-01-02T03:04:05', null],
  ])('reads date %j as %p', (value, expected) => {
    const [user] = parseCredentialReport(report(row('alice', { created: value, pwUsed: value }))).users;
    expect(user?.userCreationTime?.toISOString() ?? null).toBe(expected);
    expect(user?.passwordLastUsed?.toISOString() ?? null).toBe(expected);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('handles %s line endings, a BOM, blank lines and no trailing newline', (_name, eol) => {
    const text = '\uFEFF' + [HEADER, ROOT, '', row('alice'), '   ', row('bob')].join(eol);
    const parsed = parseCredentialReport(text);
    expect(parsed.users.map((u) => u.userName)).toEqual(['alice', 'bob']);
    expect(parsed.users[1]?.arn).toBe('arn:aws:iam::123456789012:user/bob');
    expect(parsed.users[1]?.mfaActive).toBe(false);
    expect(parsed.root?.mfaActive).toBe(true);
    expect(parsed.untrusted).toEqual([]);
  });

  it('reads columns by name, whatever their order, ignoring extra columns', () => {
    const text = [
      'mfa_active,extra_new_column,password_last_used,arn,password_enabled,user_creation_time,user',
      'TRUE,whatever,2024-03-01T00:00:00+00:00,arn:aws:iam::1:user/alice,false,2024-01-02T03:04:05+00:00,alice',
    ].join('\n');
    expect(parseCredentialReport(text).users).toEqual([
      {
        userName: 'alice',
        arn: 'arn:aws:iam::1:user/alice',
        userCreationTime: new Date('2024-01-02T03:04:05Z'),
        passwordEnabled: false,
        passwordLastUsed: new Date('2024-03-01T00:00:00Z'),
        mfaActive: true,
      },
    ]);
  });

  it('accepts header names in another case or padded', () => {
    const text =
      'User, ARN ,User_Creation_Time,password_enabled,password_last_used,MFA_ACTIVE\nalice,arn:aws:iam::1:user/alice,N/A,true,N/A,true\n';
    expect(parseCredentialReport(text).users[0]?.userName).toBe('alice');
  });

  it.each([
    ['a quoted comma-bearing name', '"x,y","arn:aws:iam::1:user/x,y"', 'x,y'],
    ['doubled quotes and quoted plain fields', '"alice","arn:aws:iam::1:user/alice"', 'alice'],
    ['a quoted name with a path in the arn', '"a,b@c.d","arn:aws:iam::1:user/team/a,b@c.d"', 'a,b@c.d'],
  ])('parses %s', (_name, prefix, expected) => {
    const text = `user,arn,user_creation_time,password_enabled,password_last_used,mfa_active\n${prefix},N/A,"true",N/A,"false"\n`;
    const parsed = parseCredentialReport(text);
    expect(parsed.untrusted).toEqual([]);
    expect(parsed.users.map((u) => [u.userName, u.passwordEnabled, u.mfaActive])).toEqual([[expected, true, false]]);
  });

  it('unescapes doubled quotes inside a quoted field', () => {
    const text =
      'user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,note\nalice,arn:aws:iam::1:user/alice,N/A,true,N/A,true,"say ""hi"", ok"\n';
    const parsed = parseCredentialReport(text);
    expect(parsed.users.map((u) => u.userName)).toEqual(['alice']);
    expect(parsed.untrusted).toEqual([]);
  });

  it('does not trust an unquoted comma-bearing name, and never guesses its values', () => {
    const text = report(row('alice'), row('x,y'), row('bob'));
    const parsed = parseCredentialReport(text);
    expect(parsed.users.map((u) => u.userName)).toEqual(['alice', 'bob']);
    expect(parsed.untrusted).toEqual([
      { line: 3, reason: expect.stringContaining('has 11 fields but the header has 9'), userNameHint: 'x,y' },
    ]);
  });

  it.each([
    ['two commas in the name', 'a,b,c', 'a,b,c'],
    ['a name whose arn has a path', 'p,q', 'p,q'],
  ])('hints the full name for %s', (_name, userName, hint) => {
    const parsed = parseCredentialReport(report(row(userName)));
    expect(parsed.users).toEqual([]);
    expect(parsed.untrusted[0]?.userNameHint).toBe(hint);
  });

  it('falls back to the arn column when the layout is unusual, and gives no hint when unsure', () => {
    const text = [
      'arn,user,user_creation_time,password_enabled,password_last_used,mfa_active',
      'arn:aws:iam::1:user/x,y,x,y,N/A,true,N/A,false',
      'arn:aws:iam::1:user/a,b,c,a,b,c,N/A,true,N/A,false',
      'N/A,x,y,N/A,true,N/A,false',
      'arn:aws:iam::1:user/x,y,x,y,N/A,true,N/A,false,oops',
    ].join('\n');
    const parsed = parseCredentialReport(text);
    expect(parsed.users).toEqual([]);
    expect(parsed.untrusted.map((u) => [u.line, u.userNameHint])).toEqual([
      [2, 'x,y'],
      [3, 'a,b,c'],
      [4, null],
      [5, null],
    ]);
  });

  it.each([
    ['too few fields', 'alice,arn:aws:iam::1:user/alice,N/A,true', 'has 4 fields'],
    ['an unclosed quote', '"alice,arn:aws:iam::1:user/alice,N/A,true,N/A,false', 'not closed'],
    ['text after a closing quote', '"alice"x,arn:aws:iam::1:user/alice,N/A,true,N/A,false', 'follows a closing quote'],
    ['a stray quote', 'al"ice,arn:aws:iam::1:user/alice,N/A,true,N/A,false', 'quote appears inside'],
    [
      'an arn that does not match the name',
      'alice,arn:aws:iam::1:user/bob,N/A,true,N/A,false',
      'does not end with the user name',
    ],
    ['an empty user name', ',arn:aws:iam::1:user/,N/A,true,N/A,false', 'not a valid IAM user name'],
  ])('does not trust a row with %s, and keeps parsing after it', (_name, bad, reason) => {
    const text = `user,arn,user_creation_time,password_enabled,password_last_used,mfa_active\n${bad}\nzed,arn:aws:iam::1:user/zed,N/A,true,N/A,false\n`;
    const parsed = parseCredentialReport(text);
    expect(parsed.users.map((u) => u.userName)).toEqual(['zed']);
    expect(parsed.untrusted).toHaveLength(1);
    expect(parsed.untrusted[0]?.line).toBe(2);
    expect(parsed.untrusted[0]?.reason).toContain(reason);
  });

  it('trusts neither row when a user appears twice', () => {
    const parsed = parseCredentialReport(report(row('alice'), row('bob'), row('alice', { mfa: 'true' })));
    expect(parsed.users.map((u) => u.userName)).toEqual(['bob']);
    expect(parsed.untrusted.map((u) => [u.line, u.userNameHint])).toEqual([
      [2, 'alice'],
      [4, 'alice'],
    ]);
  });

  it('returns no users for a header-only report', () => {
    expect(parseCredentialReport(HEADER + '\r\n')).toEqual({ root: null, users: [], untrusted: [] });
  });

  it.each([
    ['empty text', '', 'empty'],
    ['only a BOM and blank lines', '\uFEFF\n\r\n', 'empty'],
    [
      'a header missing columns',
      'user,arn,password_enabled\nalice,arn:aws:iam::1:user/alice,true\n',
      'user_creation_time, password_last_used, mfa_active',
    ],
    [
      'a header with a duplicate column',
      'user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,mfa_active\n',
      'more than once: mfa_active',
    ],
    ['an unparseable header', '"user,arn\n', 'cannot be parsed'],
  ])('throws report_invalid for %s', (_name, text, mentions) => {
    let caught: unknown;
    try {
      parseCredentialReport(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'report_invalid' });
    expect(caught instanceof Error ? caught.message : '').toContain(mentions);
  });
});
