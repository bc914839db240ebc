/**
 * The playground reaches no AWS: its sample accounts are in-memory IAM, and nothing in
 * src/playground/ (nor its entry point) builds an AWS client or reads the AWS settings. The
 * loopback-only browser test checks the same at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');
const files = [
  join(SRC, 'playground.ts'),
  ...readdirSync(join(SRC, 'playground')).map((file) => join(SRC, 'playground', file)),
];

test.each(files.map((file) => [file.slice(SRC.length + 1), file]))('%s builds no AWS client', (_name, file) => {
  const source = readFileSync(file, 'utf8');
  expect(source).not.toMatch(/@aws-sdk\//);
  expect(source).not.toMatch(/adapters\/aws\//);
  expect(source).not.toMatch(/createIamFromConfig|createAccountsFromConfig|createAwsClients|createAwsAccounts/);
});

test('its bot gets the sample accounts, not the settings’ accounts', () => {
  const source = readFileSync(join(SRC, 'playground', 'run-playground.ts'), 'utf8');
  expect(source).toMatch(/accounts: sample\.accounts/);
  expect(source).toMatch(/DATABASE_PATH: ':memory:'/);
});
