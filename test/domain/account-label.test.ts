import { accountLabel, aliasFromList, type LabelledAccount, shownAlias } from '../../src/domain/account-label';

const ID = '111122223333';

describe('accountLabel', () => {
  it.each<[string, LabelledAccount, string | null, string]>([
    ['an alias', { accountId: ID, alias: 'acme-prod' }, 'acme-prod', 'acme-prod (111122223333)'],
    [
      'an alias, the name unknown',
      { accountId: ID, alias: 'acme-prod', name: null },
      'acme-prod',
      'acme-prod (111122223333)',
    ],
    [
      "the organization's name only",
      { accountId: ID, alias: null, name: 'Acme Prod' },
      'Acme Prod',
      'Acme Prod (111122223333)',
    ],
    [
      'both: the alias wins',
      { accountId: ID, alias: 'acme-prod', name: 'Acme Prod' },
      'acme-prod',
      'acme-prod (111122223333)',
    ],
    ['neither', { accountId: ID, alias: null, name: null }, null, '111122223333'],
    ['neither, the name absent', { accountId: ID, alias: null }, null, '111122223333'],
  ])('%s: %j reads %s', (_label, account, shown, expected) => {
    expect(shownAlias(account)).toBe(shown);
    expect(accountLabel(account)).toBe(expected);
  });

  it('writes each part in the style given, the name in place of the alias', () => {
    const style = { alias: (a: string) => `[${a}]`, id: (id: string) => `<${id}>` };
    expect(accountLabel({ accountId: ID, alias: 'acme-prod' }, style)).toBe('[acme-prod] (<111122223333>)');
    expect(accountLabel({ accountId: ID, alias: null, name: '<Acme>' }, style)).toBe('[<Acme>] (<111122223333>)');
    expect(accountLabel({ accountId: ID, alias: null }, style)).toBe('<111122223333>');
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
