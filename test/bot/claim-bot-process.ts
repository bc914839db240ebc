/**
 * Test-only entry: the real bot (createBot, Bolt in HTTP mode on a free port) in a process of its
 * own, over a database file another process shares, with a fake clock the parent moves and IAM
 * asked of the parent, so two of these see one IAM account (the parent's in-memory IAM, gate
 * included). Started by test/support/bot-process.ts with `node --import tsx`; not a test file.
 *
 * Talks to the parent over the IPC channel (advanced serialization, so dates stay dates):
 *   parent → child: { type: 'advance', ms } | { type: 'scan' } | { type: 'stop' } | an IAM answer
 *   child → parent: { type: 'started', port } | { type: 'advanced', now } | { type: 'scanned' }
 *                   | { type: 'audit', line } | { type: 'log', line } | an IAM call | { type: 'stopped' }
 * It exits when the parent goes away, and on its own after a minute, so a failing test cannot
 * leave it behind.
 */

import { abandonedIamCall, abandonOnAbort } from '../../src/adapters/abandoned-call';
import { ambientAccount } from '../../src/adapters/fixed-accounts';
import { sampleOwnersSource } from '../../src/adapters/memory/fixed-owners-source';
import { createStderrLogger } from '../../src/adapters/stderr-logger';
import { createBot } from '../../src/bot/bot';
import { readBotConfig } from '../../src/config/bot-config';
import { AppError } from '../../src/errors';
import type { IamCallOptions, IamGateway } from '../../src/ports/iam';
import {
  type ChildMessage,
  IAM_ACTIONS,
  type IamMethod,
  isParentMessage,
  parseSettings,
} from '../support/bot-process-protocol';
import { createFakeClock } from '../support/fake-clock';

const LIFETIME_MS = 60_000;

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

const fail = (text: string): never => {
  process.stderr.write(`claim-bot-process: ${text}\n`);
  process.exit(2);
};

if (process.send === undefined) fail('start me with an IPC channel (test/support/bot-process.ts)');
const settings = parseSettings(process.argv[2] ?? '{}') ?? fail('usage: claim-bot-process <settings JSON>');

setTimeout(() => fail(`still running after ${LIFETIME_MS} ms; the test must have failed`), LIFETIME_MS).unref();
process.on('disconnect', () => process.exit(0));

const clock = createFakeClock(new Date(settings.startIso));

/** IAM calls wait for the parent's answer; a signal that aborts ends the wait, as it does for AWS. */
let nextCall = 0;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

const callParent = <T>(method: IamMethod, userName: string | undefined, options: IamCallOptions = {}): Promise<T> =>
  abandonOnAbort(
    options.signal,
    () =>
      new Promise<T>((resolve, reject) => {
        nextCall += 1;
        // The parent answers with what its InMemoryIam answered to the same call, so the value is
        // what the port promises for it (advanced serialization keeps dates and arrays as they were).
        waiting.set(nextCall, { resolve: (value) => resolve(value as T), reject });
        send({ type: 'iam', id: nextCall, method, userName });
      }),
    () => abandonedIamCall(IAM_ACTIONS[method], userName, options.signal ?? AbortSignal.abort()),
  );

const iam: IamGateway = {
  getCallerIdentity: () => callParent('getCallerIdentity', undefined),
  generateCredentialReport: () => callParent('generateCredentialReport', undefined),
  getCredentialReport: () => callParent('getCredentialReport', undefined),
  listUsers: () => callParent('listUsers', undefined),
  getAccountSummary: () => callParent('getAccountSummary', undefined),
  listAccountAliases: () => callParent('listAccountAliases', undefined),
  getUser: (name, options) => callParent('getUser', name, options),
  getLoginProfile: (name, options) => callParent('getLoginProfile', name, options),
  listMfaDevices: (name, options) => callParent('listMfaDevices', name, options),
  listUserTags: (name, options) => callParent('listUserTags', name, options),
  deleteLoginProfile: (name, options) => callParent('deleteLoginProfile', name, options),
};

const bot = createBot({
  config: readBotConfig(settings.env),
  accounts: ambientAccount(iam),
  owners: sampleOwnersSource(),
  clock,
  logger: createStderrLogger(
    'debug',
    (line) => send({ type: 'log', line }),
    () => clock.now(),
  ),
  holder: settings.holder,
  slackRetryConfig: { retries: 0 },
  listenPort: 0,
  auditLine: (line) => send({ type: 'audit', line }),
});

process.on('message', (message: unknown) => {
  if (!isParentMessage(message)) return fail(`unexpected message ${JSON.stringify(message)}`);
  switch (message.type) {
    case 'iam-answer': {
      const call = waiting.get(message.id);
      waiting.delete(message.id);
      if (call === undefined) return undefined;
      if (message.error === null) return call.resolve(message.value);
      const { code, text, hint } = message.error;
      return call.reject(new AppError(code, text, hint === null ? {} : { hint }));
    }
    case 'advance':
      clock.advance(message.ms);
      return send({ type: 'advanced', nowIso: clock.now().toISOString() });
    case 'scan':
      return void bot.runScanCycle('command').then(
        () => send({ type: 'scanned' }),
        (error: unknown) => fail(`scan failed: ${String(error)}`),
      );
    case 'stop':
      return void bot.stop().then(
        () => {
          send({ type: 'stopped' });
          process.exit(0);
        },
        (error: unknown) => fail(`stop failed: ${String(error)}`),
      );
  }
});

bot.start().then(
  ({ port }) => send({ type: 'started', port }),
  (error: unknown) => fail(`start failed: ${String(error)}`),
);
