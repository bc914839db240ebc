import { findingRef, parseFindingRef, parseUserRef, userRef } from '../../src/domain/notifications';

const UID = 'AIDAEXAMPLE0000000001';

describe('button values', () => {
  it.each([
    ['finding:1', 1],
    ['finding:9007199254740', 9_007_199_254_740],
    ['finding:0', null],
    ['finding:01', null],
    ['finding:-1', null],
    ['finding:1 ', null],
    ['removal:1', null],
    [`user:${UID}:alice`, null],
    [`user:111122223333:${UID}:alice`, null],
  ])('parseFindingRef(%j) → %j', (value, expected) => {
    expect(parseFindingRef(value)).toBe(expected);
  });

  it.each([
    // The format made before accounts were named: the home account's (accountId null).
    [`user:${UID}:alice`, { accountId: null, userId: UID, userName: 'alice' }],
    [`user:${UID}:dana@example.com`, { accountId: null, userId: UID, userName: 'dana@example.com' }],
    [`user:${UID}:a+b=c,d.e_f-g`, { accountId: null, userId: UID, userName: 'a+b=c,d.e_f-g' }],
    // With the account.
    [`user:111122223333:${UID}:alice`, { accountId: '111122223333', userId: UID, userName: 'alice' }],
    [
      `user:444455556666:${UID}:dana@example.com`,
      { accountId: '444455556666', userId: UID, userName: 'dana@example.com' },
    ],
    // Account ids are exactly 12 digits.
    [`user:11112222333:${UID}:alice`, null],
    [`user:1111222233334:${UID}:alice`, null],
    [`user:11112222333a:${UID}:alice`, null],
    [`user:acme-prod:${UID}:alice`, null],
    [`user::${UID}:alice`, null],
    [`user:111122223333::alice`, null],
    [`user:111122223333:${UID}:`, null],
    [`user:111122223333:${UID}:alice:extra`, null],
    [`user:111122223333:111122223333:${UID}:alice`, null],
    ['user:AIDASHORT:alice', null],
    ['user:aidaexample0000000001:alice', null],
    [`user:${UID}:`, null],
    [`user:${UID}:alice bob`, null],
    [`user:${UID}:<!channel>`, null],
    [`user:${UID}:${'a'.repeat(65)}`, null],
    [`user:${UID}:alice:extra`, null],
    ['finding:1', null],
    ['', null],
  ])('parseUserRef(%j) → %j', (value, expected) => {
    expect(parseUserRef(value)).toEqual(expected);
  });

  it('round-trips', () => {
    expect(parseFindingRef(findingRef(42))).toBe(42);
    expect(userRef('444455556666', UID, 'svc-deploy')).toBe(`user:444455556666:${UID}:svc-deploy`);
    expect(parseUserRef(userRef('444455556666', UID, 'svc-deploy'))).toEqual({
      accountId: '444455556666',
      userId: UID,
      userName: 'svc-deploy',
    });
  });

  it('the longest value stays within Slack’s 2,000 characters for a button value', () => {
    expect(userRef('444455556666', 'A'.repeat(128), 'n'.repeat(64)).length).toBeLessThanOrEqual(2000);
  });
});
