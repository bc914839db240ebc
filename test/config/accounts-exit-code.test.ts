import { join } from 'node:path';

import { runBot } from '../../src/bot/run-bot';
import { runCli } from '../../src/cli/run-cli';
import { tempDir } from '../support/cli-harness';
import { createFakeClock } from '../support/fake-clock';

// Setting both a role list and the organization is a settings problem like any other: both entry
// points exit 2 before reaching AWS or Slack, with the problem in the one message.
const BOTH = {
  AWS_ACCOUNTS: 'self,arn:aws:iam::111122223333:role/mfa-guard-scanner',
  AWS_ORGANIZATION_ROLE_NAME: 'mfa-guard-scanner',
};
const clock = createFakeClock(new Date('2026-11-28T14:00:00Z'));

describe('AWS_ACCOUNTS together with AWS_ORGANIZATION_ROLE_NAME', () => {
  it('makes npm run scan exit 2 without asking AWS', async () => {
    let stderr = '';
    let asked = false;
    const code = await runCli(
      ['scan'],
      { stdout: () => undefined, stderr: (text) => (stderr += text), env: { ...BOTH, DATABASE_PATH: ':memory:' } },
      {
        clock,
        createAccounts: () => {
          asked = true;
          throw new Error('the scan must not build IAM clients with invalid settings');
        },
        holder: 'test-cli',
      },
    );
    expect(code).toBe(2);
    expect(asked).toBe(false);
    expect(stderr).toContain('1 setting is invalid');
    expect(stderr).toContain('  - AWS_ORGANIZATION_ROLE_NAME cannot be set together with AWS_ACCOUNTS');
  });

  it('makes npm start exit 2 before Slack is reached', async () => {
    let stderr = '';
    const code = await runBot({
      env: {
        ...BOTH,
        SLACK_BOT_TOKEN: 'xoxb-test-only',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        SECURITY_CHANNEL: 'C0123456789',
        APPROVERS: 'U0123ABCD',
        DATABASE_PATH: join(tempDir(), 'state.db'),
      },
      stderr: (text) => (stderr += text),
      stdout: () => undefined,
      onSignal: () => undefined,
      onFatal: () => undefined,
      clock,
      holder: 'test-run-bot',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('1 setting is invalid');
    expect(stderr).toContain('  - AWS_ORGANIZATION_ROLE_NAME cannot be set together with AWS_ACCOUNTS');
  });
});
