import { parseOwnerValue } from '../../src/domain/owner-value';

describe('parseOwnerValue', () => {
  it.each([
    ['U012ABCDEF', { kind: 'slack', value: 'U012ABCDEF' }],
    ['W0123456', { kind: 'slack', value: 'W0123456' }],
    ['  U012ABCDEF\n', { kind: 'slack', value: 'U012ABCDEF' }],
    ['<@U012ABCDEF>', { kind: 'slack', value: 'U012ABCDEF' }],
    [' <@W0SECURITY1> ', { kind: 'slack', value: 'W0SECURITY1' }],
    ['alice@example.com', { kind: 'email', value: 'alice@example.com' }],
    ['  Alice.Smith+ops@Example.CO.uk ', { kind: 'email', value: 'Alice.Smith+ops@Example.CO.uk' }],
    ['a.b@example.com', { kind: 'email', value: 'a.b@example.com' }],
    ['first_last-x@sub.example-corp.io', { kind: 'email', value: 'first_last-x@sub.example-corp.io' }],
  ])('accepts %j', (raw, expected) => {
    expect(parseOwnerValue(raw)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'alice',
    'U12345', // too short
    'u012abcdef', // lower case
    'C012ABCDEF', // a channel, not a user
    'U012ABC-DEF',
    '<@U012ABCDEF', // unclosed mention
    '<@U012ABCDEF|alice>',
    '@alice',
    'alice@',
    '@example.com',
    'alice@example',
    'alice@example.c',
    'alice@@example.com',
    'a b@example.com',
    'alice@exa mple.com',
    '<alice@example.com>',
    'Alice <alice@example.com>',
    '.alice@example.com',
    'alice.@example.com',
    'al..ice@example.com',
    'alice@-example.com',
    'alice@example..com',
    'alice@example.com.',
    'x,y',
    '=weird',
  ])('rejects %j', (raw) => {
    expect(parseOwnerValue(raw)).toBeNull();
  });
});
