import { cliOption, shellQuote } from '../../src/domain/shell';
import { argvInShell, availableShells } from './shell-harness';

const SHELLS = availableShells();

// Every character IAM allows in a user name, plus values that are not valid IAM names at all.
const AWKWARD = [
  'alice',
  'a.b@example.com',
  'svc+ci',
  '=weird',
  '-dash',
  'x,y',
  "o'hara",
  "''",
  'a=b',
  'A_z-0.9+=,@',
  '',
  'with space',
  '$HOME',
  '`id`',
  '$(id)',
  '*',
  '?',
  '~root',
  '!bang',
  'a;b|c&d',
  '{a,b}',
  '"dq"',
  'back\\slash',
  'tab\there',
  '%1',
  '#hash',
  '[ab]',
];

describe('shellQuote', () => {
  it.each([
    ['alice', 'alice'],
    ['a.b@example.com', 'a.b@example.com'],
    ['svc+ci', 'svc+ci'],
    ['x,y', 'x,y'],
    ['./alice-mfa.png', './alice-mfa.png'],
    ['arn:aws:iam::123456789012:mfa/alice', 'arn:aws:iam::123456789012:mfa/alice'],
    ['=weird', "'=weird'"],
    ['a=b', "'a=b'"],
    ['-dash', "'-dash'"],
    ["o'hara", "'o'\\''hara'"],
    ['', "''"],
    ['with space', "'with space'"],
    ['~root', "'~root'"],
  ])('%j → %s', (arg, expected) => {
    expect(shellQuote(arg)).toBe(expected);
  });

  it('found a shell to test with', () => {
    expect(SHELLS).toContain('bash');
  });

  describe.each(SHELLS)('round-trips through %s', (shell) => {
    it.each(AWKWARD)('%j', (arg) => {
      expect(argvInShell(shell, `before ${shellQuote(arg)} after`)).toEqual(['before', arg, 'after']);
    });
  });
});

describe('cliOption', () => {
  it.each([
    ['user-name', 'alice', '--user-name alice'],
    ['--user-name', 'alice', '--user-name alice'],
    ['user-name', "o'hara", "--user-name 'o'\\''hara'"],
    ['user-name', '=weird', "--user-name '=weird'"],
    ['user-name', '-dash', "--user-name='-dash'"],
    ['outfile', './-dash-mfa.png', '--outfile ./-dash-mfa.png'],
  ])('%s %j → %s', (flag, value, expected) => {
    expect(cliOption(flag, value)).toBe(expected);
  });

  it.each(['', '-x', 'User Name', 'a;b'])('refuses the flag name %j', (flag) => {
    expect(() => cliOption(flag, 'v')).toThrow('not a CLI flag name');
  });

  describe.each(SHELLS)('round-trips through %s', (shell) => {
    it.each(AWKWARD)('%j', (value) => {
      const expected = value.startsWith('-') ? [`--user-name=${value}`] : ['--user-name', value];
      expect(argvInShell(shell, cliOption('user-name', value))).toEqual(expected);
    });
  });
});
