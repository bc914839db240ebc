import { accountLabel, aliasFromList } from '../../src/domain/account-label';

describe('accountLabel', () => {
  it.each([
    [{ accountId: '111122223333', alias: 'acme-prod' }, 'acme-prod (111122223333)'],
    [{ accountId: '111122223333', alias: null }, '111122223333'],
  ])('%j reads %s', (account, expected) => {
    expect(accountLabel(account)).toBe(expected);
  });

  it('writes each part in the style given', () => {
    const style = { alias: (a: string) => `[${a}]`, id: (id: string) => `<${id}>` };
    expect(accountLabel({ accountId: '111122223333', alias: 'acme-prod' }, style)).toBe('[acme-prod] (<111122223333>)');
    expect(accountLabel({ accountId: '111122223333', alias: null }, style)).toBe('<111122223333>');
  });
});

describe('aliasFromList', () => {
  it.each([
    [[], null],
    [[''], null],
    [['acme-prod'], 'acme-prod'],
    [['acme-prod', 'second'], 'acme-prod'],
  ])('%j → %p', (aliases, expected) => {
    expect(aliasFromList(aliases)).toBe(expected);
  });
});
