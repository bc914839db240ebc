import { findingRef, parseFindingRef, parseUserRef, userRef } from '../../src/domain/notifications';

describe('button values', () => {
  it.each([
    ['finding:1', 1],
    ['finding:9007199254740', 9_007_199_254_740],
    ['finding:0', null],
    ['finding:01', null],
    ['finding:-1', null],
    ['finding:1 ', null],
    ['removal:1', null],
    ['user:AIDAEXAMPLE0000000001:alice', null],
  ])('parseFindingRef(%j) → %j', (value, expected) => {
    expect(parseFindingRef(value)).toBe(expected);
  });

  it.each([
    ['user:AIDAEXAMPLE0000000001:alice', { userId: 'AIDAEXAMPLE0000000001', userName: 'alice' }],
    ['user:AIDAEXAMPLE0000000001:dana@example.com', { userId: 'AIDAEXAMPLE0000000001', userName: 'dana@example.com' }],
    ['user:AIDAEXAMPLE0000000001:a+b=c,d.e_f-g', { userId: 'AIDAEXAMPLE0000000001', userName: 'a+b=c,d.e_f-g' }],
    ['user:AIDASHORT:alice', null],
    ['user:aidaexample0000000001:alice', null],
    ['user:AIDAEXAMPLE0000000001:', null],
    ['user:AIDAEXAMPLE0000000001:alice bob', null],
    ['user:AIDAEXAMPLE0000000001:<!channel>', null],
    [`user:AIDAEXAMPLE0000000001:${'a'.repeat(65)}`, null],
    ['user:AIDAEXAMPLE0000000001:alice:extra', null],
    ['finding:1', null],
  ])('parseUserRef(%j) → %j', (value, expected) => {
    expect(parseUserRef(value)).toEqual(expected);
  });

  it('round-trips', () => {
    expect(parseFindingRef(findingRef(42))).toBe(42);
    expect(parseUserRef(userRef('AIDAEXAMPLE0000000001', 'svc-deploy'))).toEqual({
      userId: 'AIDAEXAMPLE0000000001',
      userName: 'svc-deploy',
    });
  });
});
