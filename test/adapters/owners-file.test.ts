import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadOwnersFile } from '../../src/adapters/owners-file';
import { AppError } from '../../src/errors';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-guard-owners-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text, 'utf8');
  return path;
};

const errorOf = (path: string): AppError => {
  try {
    loadOwnersFile(path);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadOwnersFile to throw');
};

const YAML = `# who owns what
users:
  alice: U012ABCDEF           # exact IAM user name -> Slack user ID
  "svc-*": platform@example.com
  breakglass:
    owner: U0SECURITY1
    exempt: "Break-glass account; hardware token in the safe"
  legacy-ci:
    exempt: "Decommissioned 2027-01"
`;

const EXPECTED_ENTRIES = [
  { pattern: 'alice', account: null, name: 'alice', owner: { kind: 'slack', value: 'U012ABCDEF' }, exempt: null },
  {
    pattern: 'svc-*',
    account: null,
    name: 'svc-*',
    owner: { kind: 'email', value: 'platform@example.com' },
    exempt: null,
  },
  {
    pattern: 'breakglass',
    account: null,
    name: 'breakglass',
    owner: { kind: 'slack', value: 'U0SECURITY1' },
    exempt: 'Break-glass account; hardware token in the safe',
  },
  { pattern: 'legacy-ci', account: null, name: 'legacy-ci', owner: null, exempt: 'Decommissioned 2027-01' },
];

describe('loadOwnersFile', () => {
  it.each([
    ['owners.yml', YAML],
    ['owners.yaml', YAML.replace(/\n/g, '\r\n')],
    ['OWNERS.YML', '\uFEFF' + YAML],
    [
      'owners.json',
      JSON.stringify({
        users: {
          alice: 'U012ABCDEF',
          'svc-*': 'platform@example.com',
          breakglass: { owner: 'U0SECURITY1', exempt: 'Break-glass account; hardware token in the safe' },
          'legacy-ci': { exempt: 'Decommissioned 2027-01' },
        },
      }),
    ],
    [
      'bom.json',
      '\uFEFF{"users":{"alice":"U012ABCDEF","svc-*":"platform@example.com","breakglass":{"owner":"U0SECURITY1","exempt":"Break-glass account; hardware token in the safe"},"legacy-ci":{"exempt":"Decommissioned 2027-01"}}}',
    ],
  ])('reads %s', (name, text) => {
    const path = write(name, text);
    expect(loadOwnersFile(path)).toEqual({ source: path, entries: EXPECTED_ENTRIES, accounts: [] });
  });

  it('reads account-scoped keys, exempt: false and account defaults from YAML, an unquoted id included', () => {
    const path = write(
      'scoped.yml',
      'users:\n  111122223333/svc-*:\n    exempt: false\n  prod/alice: U012ABCDEF\naccounts:\n  111122223333: U0PLATFORM1\n  prod:\n    owner: platform@example.com\n',
    );
    expect(loadOwnersFile(path)).toEqual({
      source: path,
      entries: [
        { pattern: '111122223333/svc-*', account: '111122223333', name: 'svc-*', owner: null, exempt: false },
        {
          pattern: 'prod/alice',
          account: 'prod',
          name: 'alice',
          owner: { kind: 'slack', value: 'U012ABCDEF' },
          exempt: null,
        },
      ],
      accounts: [
        { account: '111122223333', owner: { kind: 'slack', value: 'U0PLATFORM1' } },
        { account: 'prod', owner: { kind: 'email', value: 'platform@example.com' } },
      ],
    });
  });

  it.each([
    [
      'bad-account.yml',
      'users: {}\naccounts:\n  11112222333: U0PLATFORM1\n',
      'accounts.11112222333: key "11112222333" has 11 digits; an account id has 12',
    ],
    ['owners.txt', 'users: {}', 'must end in .yml, .yaml or .json (found ".txt")'],
    ['owners', 'users: {}', 'must end in .yml, .yaml or .json (found "no extension")'],
    ['bad.yml', 'users:\n  alice: [U012ABCDEF\n  bob: U0BOB00001\n', 'is not valid YAML at line'],
    [
      'dup.yml',
      'users:\n  alice: U012ABCDEF\n  alice: U0OTHER0001\n',
      'is not valid YAML at line 3, column 3: Map keys must be unique',
    ],
    ['bad.json', '{\n  "users": {\n    "alice": "U012ABCDEF",\n  }\n}\n', 'is not valid JSON at line 4, column 3'],
    ['empty.yml', '', 'top level: must be a mapping with the key "users", found nothing'],
    ['comments.yml', '# nothing yet\n', 'found nothing'],
    ['invalid.yml', 'users:\n  alice: alice\n', 'users.alice: "alice" is not a Slack user ID or an email address'],
  ])('rejects %s with a message naming the file and the problem', (name, text, what) => {
    const path = write(name, text);
    const error = errorOf(path);
    expect(error.code).toBe('owners_file_invalid');
    expect(error.message).toContain(path);
    expect(error.message).toContain(what);
    expect(error.hint).toContain('restart');
  });

  it('rejects a missing file', () => {
    const path = join(dir, 'nope.yml');
    const error = errorOf(path);
    expect(error.code).toBe('owners_file_invalid');
    expect(error.message).toBe(`The owners file ${path} does not exist.`);
  });

  it('rejects a directory named like an owners file', () => {
    const path = join(dir, 'folder.yml');
    mkdirSync(path);
    expect(errorOf(path).message).toContain('is a directory');
  });

  // Tests run as root here, where chmod 000 still reads; so the permission error is handed in.
  it('rejects an unreadable file', () => {
    const denied = (): string => {
      throw Object.assign(new Error("EACCES: permission denied, open 'owners.yml'"), { code: 'EACCES' });
    };
    let caught: unknown;
    try {
      loadOwnersFile('/etc/mfa-guard/owners.yml', denied);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'owners_file_invalid',
      message: 'The owners file /etc/mfa-guard/owners.yml cannot be read (permission denied).',
    });
  });
});
