import { createBot, createIamFromConfig, loadOwnersFromConfig, type Bot } from '../app';
import { createStderrLogger } from '../adapters/stderr-logger';
import { readBotConfig } from '../config/bot-config';
import type { Env } from '../config/env-reader';
import { describeError, isAppError } from '../errors';
import type { Clock } from '../ports';

export interface BotProcess {
  readonly env: Env;
  readonly stderr: (text: string) => void;
  /** Registers a handler for SIGTERM and SIGINT. */
  readonly onSignal: (handler: (signal: string) => void) => void;
  readonly clock: Clock;
  readonly holder: string;
}

const explain = (error: unknown): string => (isAppError(error) ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : describeError(error));

/**
 * `npm start`: validate every setting at once, check Slack access, then run until SIGTERM/SIGINT.
 * Resolves with the exit code: 0 after a clean shutdown, 2 for settings, 3 when start-up fails.
 */
export const runBot = async (io: BotProcess): Promise<number> => {
  let bot: Bot;
  try {
    const config = readBotConfig(io.env);
    const logger = createStderrLogger(config.scan.logLevel, io.stderr, () => io.clock.now());
    bot = createBot({
      config,
      iam: createIamFromConfig(config.scan),
      ownersFile: loadOwnersFromConfig(config.scan),
      clock: io.clock,
      logger,
      holder: io.holder,
    });
  } catch (error) {
    io.stderr(`${explain(error)}\n`);
    return 2;
  }

  try {
    await bot.start();
  } catch (error) {
    io.stderr(`mfa-guard could not start: ${explain(error)}\n`);
    await bot.stop().catch(() => undefined);
    return 3;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    io.onSignal((signal) => {
      if (stopping) return;
      stopping = true;
      io.stderr(`${io.clock.now().toISOString()} info  ${signal} received; stopping\n`);
      bot.stop().then(
        () => resolve(0),
        (error: unknown) => {
          io.stderr(`mfa-guard did not stop cleanly: ${describeError(error)}\n`);
          resolve(3);
        },
      );
    });
  });
};
