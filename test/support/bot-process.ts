/**
 * Runs the real bot in a process of its own (test/bot/claim-bot-process.ts, with `node --import
 * tsx`, as the SQLite racer scripts run): its own connection to a shared database file, its own
 * fake clock that only this side moves, and IAM answered here from one InMemoryIam that every such
 * process shares (an IamGate on it holds calls). What the bot does is read back as signals: the
 * audit lines it writes, and the answers to `advance`, `scan` and `stop`; every wait is bounded
 * by real time and fails with the process's last log lines. Processes still running after a test
 * are killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { isAppError } from '../../src/errors';
import {
  type ChildMessage,
  type IamMethod,
  isChildMessage,
  type ParentMessage,
  type ProcessSettings,
} from './bot-process-protocol';
import { type AuditLine, parseAuditLines } from './sample-world';

const ROOT = resolve(__dirname, '../..');
const ENTRY = join(ROOT, 'test/bot/claim-bot-process.ts');
/** Real time a process gets to do what a test waits for (starting includes tsx compiling the bot). */
const WAIT_MS = 20_000;

export interface BotProcess {
  readonly name: string;
  /** Bolt's HTTP port. */
  readonly port: number;
  /** Moves this process's clock by `ms` (its due timers fire on the way); resolves once it has. */
  advance(ms: number): Promise<void>;
  /** One scan with its DMs and summary, as the schedule runs it. */
  scan(): Promise<void>;
  /** The first audit line this process wrote, at index `from` or later, that matches. */
  whenAudit(what: string, match: (line: AuditLine) => boolean, from?: number): Promise<AuditLine>;
  /** How many audit lines this process has written so far. */
  readonly auditCount: number;
  /** A clean stop (SIGTERM's path): waits for what is in flight, closes the database. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

if (typeof afterEach === 'function') {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
}

const requireName = (method: IamMethod, userName: string | undefined): string => {
  if (userName === undefined) throw new Error(`IAM ${method} came without a user name`);
  return userName;
};

/** The shared IAM's answer to a call one of the processes made. */
const callIam = (iam: InMemoryIam, method: IamMethod, userName: string | undefined): Promise<unknown> => {
  switch (method) {
    case 'getCallerIdentity':
      return iam.getCallerIdentity();
    case 'generateCredentialReport':
      return iam.generateCredentialReport();
    case 'getCredentialReport':
      return iam.getCredentialReport();
    case 'listUsers':
      return iam.listUsers();
    case 'getAccountSummary':
      return iam.getAccountSummary();
    case 'listAccountAliases':
      return iam.listAccountAliases();
    case 'getUser':
      return iam.getUser(requireName(method, userName));
    case 'getLoginProfile':
      return iam.getLoginProfile(requireName(method, userName));
    case 'listMfaDevices':
      return iam.listMfaDevices(requireName(method, userName));
    case 'listUserTags':
      return iam.listUserTags(requireName(method, userName));
    case 'deleteLoginProfile':
      return iam.deleteLoginProfile(requireName(method, userName));
  }
};

type Waiter = { readonly settle: (message: ChildMessage) => boolean; readonly fail: (error: Error) => void };

export const startBotProcess = async (options: {
  readonly name: string;
  readonly iam: InMemoryIam;
  readonly settings: ProcessSettings;
}): Promise<BotProcess> => {
  const { name, iam, settings } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify(settings)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  running.add(child);
  const auditLines: string[] = [];
  const logs: string[] = [];
  let stderr = '';
  let exited: string | null = null;
  let waiters: Waiter[] = [];

  const story = (): string =>
    `${name}: ${exited ?? 'still running'}\n--- last log lines ---\n${logs.slice(-15).join('')}\n--- stderr ---\n${stderr.slice(-2000)}`;

  /** Resolves with the first message (from now on, or already seen when `seen` says so) that `pick` accepts. */
  const waitFor = <T>(what: string, pick: (message: ChildMessage) => T | null, seen: () => T | null): Promise<T> =>
    new Promise<T>((resolvePromise, reject) => {
      const already = seen();
      if (already !== null) return resolvePromise(already);
      if (exited !== null) return reject(new Error(`${name} exited before ${what}\n${story()}`));
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}\n${story()}`));
      }, WAIT_MS);
      const waiter: Waiter = {
        settle: (message) => {
          const value = pick(message);
          if (value === null) return false;
          clearTimeout(timer);
          resolvePromise(value);
          return true;
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.push(waiter);
    });

  const post = (message: ParentMessage): void => {
    // A process that is gone has nobody to answer.
    if (child.connected) child.send(message);
  };

  const answerIam = (message: Extract<ChildMessage, { type: 'iam' }>): void => {
    callIam(iam, message.method, message.userName).then(
      (value) => post({ type: 'iam-answer', id: message.id, value, error: null }),
      (error: unknown) =>
        post({
          type: 'iam-answer',
          id: message.id,
          value: null,
          error: isAppError(error)
            ? { code: error.code, text: error.message, hint: error.hint ?? null }
            : { code: 'iam_unexpected', text: String(error), hint: null },
        }),
    );
  };

  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.on('message', (message: unknown) => {
    if (!isChildMessage(message)) return;
    if (message.type === 'iam') return answerIam(message);
    if (message.type === 'audit') auditLines.push(message.line);
    if (message.type === 'log') logs.push(message.line);
    waiters = waiters.filter((w) => !w.settle(message));
  });
  child.on('exit', (code, signal) => {
    running.delete(child);
    exited = `exited with ${signal ?? `code ${String(code)}`}`;
    const error = new Error(`${name} ${exited}\n${story()}`);
    for (const waiter of waiters.splice(0)) waiter.fail(error);
  });

  const port = await waitFor(
    'the bot to start',
    (m) => (m.type === 'started' ? m.port : null),
    () => null,
  );

  const parsed = (from: number): AuditLine[] => parseAuditLines(auditLines, from);
  return {
    name,
    port,
    get auditCount() {
      return auditLines.length;
    },
    advance: async (ms) => {
      const done = waitFor(
        `the clock to move by ${ms} ms`,
        (m) => (m.type === 'advanced' ? true : null),
        () => null,
      );
      post({ type: 'advance', ms });
      await done;
    },
    scan: async () => {
      const done = waitFor(
        'a scan',
        (m) => (m.type === 'scanned' ? true : null),
        () => null,
      );
      post({ type: 'scan' });
      await done;
    },
    whenAudit: (what, match, from = 0) =>
      waitFor(
        `the audit line: ${what}`,
        (m) => {
          if (m.type !== 'audit') return null;
          const [line] = parseAuditLines([m.line]);
          return line !== undefined && auditLines.indexOf(m.line) >= from && match(line) ? line : null;
        },
        () => parsed(from).find(match) ?? null,
      ),
    stop: async () => {
      const done = waitFor(
        'a clean stop',
        (m) => (m.type === 'stopped' ? true : null),
        () => null,
      );
      post({ type: 'stop' });
      await done;
    },
  };
};
