import { createStderrLogger } from '../adapters/stderr-logger';
import { createAccountsFromConfig, ownersSourceFromConfig } from '../app';
import { readBotConfig } from '../config/bot-config';
import type { Env } from '../config/env-reader';
import { describeError, isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import { type Bot, createBot } from './bot';

export interface BotProcess {
  readonly env: Env;
  readonly stderr: (text: string) => void;
  /** Audit entries, one JSON line each, for log pipelines. */
  readonly stdout: (text: string) => void;
  /** Registers a handler for SIGTERM and SIGINT. */
  readonly onSignal: (handler: (signal: string) => void) => void;
  /** Registers a handler for a rejection or exception nothing else caught. */
  readonly onFatal: (handler: (error: unknown) => void) => void;
  readonly clock: Clock;
  readonly holder: string;
}

type StopReason =
  { readonly kind: 'signal'; readonly signal: string } | { readonly kind: 'fatal'; readonly error: unknown };

const explain = (error: unknown): string =>
  isAppError(error) ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : describeError(error);

/**
 * `npm start`: validate every setting at once, check Slack access, then run until SIGTERM/SIGINT.
 * Resolves with the exit code: 0 after a clean shutdown, 2 for settings, 3 when start-up fails,
 * 1 after an error nothing caught (the bot shuts down cleanly first, so a supervisor restarts it
 * with the scan lease released rather than in an unknown state).
 */
export const runBot = async (io: BotProcess): Promise<number> => {
  const log = (level: string, message: string): void =>
    io.stderr(`${io.clock.now().toISOString()} ${level.padEnd(5)} ${message}\n`);
  // Listening from the start, so a signal during start-up still stops the bot cleanly.
  const stopRequested = new Promise<StopReason>((resolve) => {
    io.onSignal((signal) => resolve({ kind: 'signal', signal }));
    io.onFatal((error) => resolve({ kind: 'fatal', error }));
  });

  let bot: Bot;
  try {
    const config = readBotConfig(io.env);
    const logger = createStderrLogger(config.scan.logLevel, io.stderr, () => io.clock.now());
    bot = createBot({
      config,
      accounts: createAccountsFromConfig(config.scan),
      owners: await ownersSourceFromConfig(config.scan),
      clock: io.clock,
      logger,
      holder: io.holder,
      auditLine: (line) => io.stdout(`${line}\n`),
    });
  } catch (error) {
    io.stderr(`${explain(error)}\n`);
    return 2;
  }

  const startFailure = bot.start().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([
    startFailure.then((failure) => ({ kind: 'started' as const, failure })),
    stopRequested,
  ]);
  if (first.kind === 'started' && first.failure !== null) {
    io.stderr(`mfa-guard could not start: ${explain(first.failure.error)}\n`);
    await bot.stop().catch(() => undefined);
    return 3;
  }

  const reason = first.kind === 'started' ? await stopRequested : first;
  if (reason.kind === 'signal') log('info', `${reason.signal} received; stopping`);
  else log('error', `unexpected failure; stopping: ${describeError(reason.error)}`);
  // A stop requested during start-up waits for start to settle, so nothing is left half open.
  await startFailure;
  try {
    await bot.stop();
  } catch (error) {
    io.stderr(`mfa-guard did not stop cleanly: ${describeError(error)}\n`);
    return 3;
  }
  return reason.kind === 'signal' ? 0 : 1;
};
