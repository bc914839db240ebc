/**
 * The responsiveness scenario's Slack: a child process that signs and sends every request at once
 * to the bot's Bolt HTTP receiver, so that the bot's process spends no time sending them. Reads one
 * JSON line (the requests), prints `ready`, waits for `go`, sends, prints one JSON line of timings
 * (epoch milliseconds, comparable with the parent's `performance.timeOrigin + performance.now()`).
 */
import { createInterface } from 'node:readline';

import {
  type BlockActionInput,
  sendBlockAction,
  sendSlashCommand,
  type SlashCommandInput,
} from '../test/support/slack-requests';

export type SenderRequest =
  | { readonly kind: 'command'; readonly input: SlashCommandInput }
  | { readonly kind: 'action'; readonly input: BlockActionInput };

export interface SenderJob {
  readonly port: number;
  readonly signingSecret: string;
  readonly requests: readonly SenderRequest[];
}

export interface SenderTiming {
  readonly sentAt: number;
  readonly ackedAt: number;
  readonly status: number;
}

const epochNow = (): number => performance.timeOrigin + performance.now();

const main = async (): Promise<void> => {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  const job = JSON.parse(String(first.value)) as SenderJob;
  const target = { port: job.port, signingSecret: job.signingSecret };
  // Warm up the HTTP client (a request Bolt answers 401 to, unsigned) so the first timed one pays nothing extra.
  await fetch(`http://127.0.0.1:${job.port}/slack/events`, { method: 'POST', body: '' }).catch(() => undefined);
  process.stdout.write('ready\n');
  await lines.next();
  const timings = await Promise.all(
    job.requests.map(async (request): Promise<SenderTiming> => {
      const sentAt = epochNow();
      const reply =
        request.kind === 'command'
          ? await sendSlashCommand(target, request.input)
          : await sendBlockAction(target, request.input);
      return { sentAt, ackedAt: epochNow(), status: reply.status };
    }),
  );
  process.stdout.write(`${JSON.stringify(timings)}\n`);
  process.exit(0);
};

void main();
