import {
  duplicateAccounts,
  isExternalId,
  isRolePathAndName,
  parseAccountLines,
  parseRoleArn,
  roleArnFor,
} from '../../src/domain/account-entries';

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/scanner', { accountId: '111122223333', partition: 'aws' }],
    ['arn:aws-us-gov:iam::111122223333:role/sec/ops/scanner', { accountId: '111122223333', partition: 'aws-us-gov' }],
    ['arn:aws-cn:iam::000000000001:role/a+b=c,d.e@f-g_h', { accountId: '000000000001', partition: 'aws-cn' }],
  ])('reads %s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual({ roleArn: arn, ...expected });
  });

  it.each([
    'arn:aws:iam::111122223333:user/bob',
    'arn:aws:iam::11112222333:role/scanner',
    'arn:aws:iam::1111222233334:role/scanner',
    'arn:aws:iam:us-east-1:111122223333:role/scanner',
    'arn:aws-iso:iam::111122223333:role/scanner',
    'arn:aws:sts::111122223333:assumed-role/scanner/session',
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::111122223333:role/a//b',
    'arn:aws:iam::111122223333:role/has space',
    `arn:aws:iam::111122223333:role/${'x'.repeat(65)}`,
    'self',
  ])('refuses %s', (text) => {
    expect(parseRoleArn(text)).toBeNull();
  });
});

describe('role names, external ids and ARNs', () => {
  it.each([
    ['mfa-guard-scanner', true],
    ['security/mfa-guard-scanner', true],
    ['/leading-slash', false],
    ['trailing/', false],
    ['', false],
  ])('isRolePathAndName(%s) is %s', (value, expected) => {
    expect(isRolePathAndName(value)).toBe(expected);
  });

  it.each([
    ['ab', true],
    ['a', false],
    ['x'.repeat(1224), true],
    ['x'.repeat(1225), false],
    ['Ab1_+=,.@:/-', true],
    ['with space', false],
    ['naïve', false],
  ])('isExternalId(%s) is %s', (value, expected) => {
    expect(isExternalId(value)).toBe(expected);
  });

  it('builds the member role ARN in the partition given', () => {
    expect(roleArnFor('aws-us-gov', '111122223333', 'sec/scanner')).toBe(
      'arn:aws-us-gov:iam::111122223333:role/sec/scanner',
    );
  });
});

describe('account lists', () => {
  it('names each account listed twice once, self included', () => {
    const role = (accountId: string) =>
      ({ roleArn: `arn:aws:iam::${accountId}:role/r`, accountId, partition: 'aws' }) as const;
    expect(
      duplicateAccounts(['self', role('111122223333'), role('111122223333'), 'self', role('111122223333')]),
    ).toEqual(['111122223333', 'self']);
    expect(duplicateAccounts(['self', role('111122223333')])).toEqual([]);
  });

  it('reads file lines: comments, blanks, CRLF, and the number of each bad line', () => {
    expect(
      parseAccountLines('# header\r\nself # me\r\n\r\narn:aws:iam::111122223333:role/r\nbad\n  # indented comment'),
    ).toEqual([
      { kind: 'empty' },
      { kind: 'entry', entry: 'self' },
      { kind: 'empty' },
      {
        kind: 'entry',
        entry: { roleArn: 'arn:aws:iam::111122223333:role/r', accountId: '111122223333', partition: 'aws' },
      },
      { kind: 'invalid', line: 5 },
      { kind: 'empty' },
    ]);
  });
});
