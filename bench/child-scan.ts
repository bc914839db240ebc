import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `node dist/cli.js scan --json` in a child process, as `npm run scan` runs it, with its peak RSS
 * (`/usr/bin/time`'s maximum resident set size when present, else VmHWM polled from /proc).
 */
export interface ChildScan {
  readonly exitCode: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** User + system CPU seconds of the scan process (NaN without /usr/bin/time). */
  readonly cpuSeconds: number;
  readonly json: ScanJsonExcerpt | null;
  readonly stderr: string;
}

export interface ScanJsonExcerpt {
  readonly strategy: { readonly name: string };
  readonly accounts: readonly { readonly accountId: string | null; readonly outcome?: string }[];
  readonly summary: Readonly<Record<string, number>>;
}

const TIME = '/usr/bin/time';

const hwmKb = (pid: number): number => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
};

const parseJson = (text: string): ScanJsonExcerpt | null => {
  try {
    return JSON.parse(text) as ScanJsonExcerpt;
  } catch {
    return null;
  }
};

export const runChildScan = async (env: Readonly<Record<string, string>>): Promise<ChildScan> => {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-guard-bench-'));
  const timeFile = join(dir, 'time.txt');
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const args = [
    ...(useTime ? ['-f', '%M %U %S', '-o', timeFile, process.execPath] : []),
    join('dist', 'cli.js'),
    'scan',
    '--json',
  ];
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIABENCHEXAMPLE0000',
      AWS_SECRET_ACCESS_KEY: 'bench-secret-not-a-real-key',
      DATABASE_PATH: join(dir, 'bench.db'),
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // With /usr/bin/time the child is `time`; its own child is node, whose /proc entry we do not know.
  let polledKb = 0;
  const poll = useTime ? null : setInterval(() => (polledKb = Math.max(polledKb, hwmKb(child.pid ?? 0))), 50);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (poll !== null) clearInterval(poll);
  // The last line is "<max RSS kB> <user s> <system s>" (a line before it may report the exit status).
  const timed = (useTime && existsSync(timeFile) ? (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '') : '')
    .split(' ')
    .map(Number);
  const [timedKb = 0, userSeconds = Number.NaN, systemSeconds = Number.NaN] = timed;
  rmSync(dir, { recursive: true, force: true });
  const json = parseJson(stdout);
  return {
    exitCode,
    seconds,
    peakRssMb: (useTime ? timedKb : polledKb) / 1024,
    cpuSeconds: userSeconds + systemSeconds,
    json,
    stderr,
  };
};
