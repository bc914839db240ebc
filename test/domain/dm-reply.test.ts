import { classifyDmText, type DmIntent, normalizeDmText } from '../../src/domain/dm-reply';

describe('classifyDmText: the whole message, trimmed, lower-cased, without punctuation', () => {
  it.each<[string, DmIntent]>([
    ['done', 'recheck'],
    ['Done', 'recheck'],
    ['  DONE  ', 'recheck'],
    ['done!', 'recheck'],
    ['done.', 'recheck'],
    ['fixed', 'recheck'],
    ['Fixed it!', 'recheck'],
    ['fixed   it', 'recheck'],
    ['I fixed it.', 'recheck'],
    ['recheck', 'recheck'],
    ['Re-check', 'help'],
    ['check', 'recheck'],
    ['check again', 'recheck'],
    ['Check again, please', 'help'],
    ['MFA enabled', 'recheck'],
    ['mfa-enabled', 'recheck'],
    ['enabled MFA ✅', 'recheck'],
    ['done\n', 'recheck'],
    ['status', 'status'],
    ['Status?', 'status'],
    ['status alice', 'help'],
    ['help', 'help'],
    ['?', 'help'],
    ['', 'help'],
    ['   ', 'help'],
    ['why me?', 'help'],
    ['not done', 'help'],
    ['done done', 'help'],
    ["I've fixed it", 'help'],
    ['<@U0MFAGUARD1> done', 'help'],
    ['/mfa-status', 'help'],
    ['scan', 'help'],
    [`done${' '.repeat(200)}`, 'help'],
  ])('%j → %s', (text, intent) => {
    expect(classifyDmText(text)).toBe(intent);
  });
});

describe('normalizeDmText', () => {
  it.each([
    ['Fixed it!', 'fixed it'],
    ['  MFA -- enabled ', 'mfa enabled'],
    [':white_check_mark: done', 'white check mark done'],
    ['&amp;', 'amp'],
    ['¿¡?!', ''],
  ])('%j → %j', (text, normalized) => {
    expect(normalizeDmText(text)).toBe(normalized);
  });
});
