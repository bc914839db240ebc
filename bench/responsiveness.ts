import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import type { SlackClientRole } from '../src/bot/bot';
import { SIGNING_SECRET } from '../test/support/bot-harness';
import { dmsTo } from '../test/support/interaction-harness';
import { userButton } from '../test/support/sample-world';
import { APPROVER_IDS, type BenchWorld, startBenchWorld } from './bench-bot';
import { ownerSlackId } from './population';
import type { SenderJob, SenderRequest, SenderTiming } from './request-sender';

/**
 * `/mfa-status <account>/<user>` requests and Recheck clicks sent at once to the real Bolt HTTP
 * receiver, every IAM call taking `iamMs`, while a scan cycle's Slack client waits out a 429. Each
 * person (an owner with findings, or an approver standing in for one) asks about two users (their
 * exempt and grace users) and rechecks two (their offenders), all distinct, so the IAM calls each
 * answer needed are counted by user name. A child process (request-sender.ts) sends them, so the
 * bot's process does no client work; times are epoch milliseconds on both sides.
 */
export interface RequestTiming {
  readonly kind: 'status' | 'recheck';
  readonly ackMs: number;
  readonly answerMs: number;
  /** Its own calls, plus the calls about no user it waited on. */
  readonly iamCalls: number;
  /** answerMs minus iamCalls × iamMs: what our code (and Slack's fake) added. */
  readonly beyondIamMs: number;
}

export interface ResponsivenessMeasure {
  readonly people: number;
  readonly approvers: number;
  readonly iamMs: number;
  readonly timings: readonly RequestTiming[];
  readonly unanswered: number;
  readonly scanWaiting: boolean;
}

interface Pending {
  readonly kind: 'status' | 'recheck';
  readonly userName: string;
  readonly request: SenderRequest;
  readonly responseUrl: string;
  /** The DM a Recheck was clicked in: its chat.update answers too. */
  readonly message: { readonly channel: string; readonly ts: string } | null;
}

const DAY_MS = 86_400_000;
const RETRY_AFTER_S = 60;

const waitUntil = async (test: () => boolean, what: string, timeoutMs: number): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`responsiveness: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const epochNow = (): number => performance.timeOrigin + performance.now();

/** The sender child, started and handed the job; `go()` sends every request and answers their timings. */
const startSender = async (job: SenderJob): Promise<{ go(): Promise<SenderTiming[]> }> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/request-sender.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  child.stdin.write(`${JSON.stringify(job)}\n`);
  const ready = await lines.next();
  if (ready.value !== 'ready') throw new Error(`responsiveness: the request sender said ${String(ready.value)}`);
  return {
    go: async () => {
      child.stdin.write('go\n');
      const answer = await lines.next();
      child.stdin.end();
      return JSON.parse(String(answer.value)) as SenderTiming[];
    },
  };
};

/** `requests` in all, half of them /mfa-status and half Recheck clicks, from requests / 4 people. */
export const measureResponsiveness = async (requests: number, iamMs: number): Promise<ResponsivenessMeasure> => {
  const people = Math.max(1, Math.floor(requests / 4));
  const approvers = Math.min(APPROVER_IDS.length, Math.max(1, Math.floor(people / 10)));
  let delayMs = 0;
  const iamCalls = new Map<string, number>();
  const firstCallAt = new Map<string, number>();
  // Calls about no user (the home account's identity): every request in flight before its own first call waits on them.
  const sharedCallsAt: number[] = [];
  let counting = false;
  let releaseScan: () => void = () => undefined;
  const scanMayGoOn = new Promise<void>((resolve) => {
    releaseScan = resolve;
  });
  let scanWaiting = false;
  const world: BenchWorld = await startBenchWorld({
    // Every tenth owner has findings, and owns 20 users: 200 users per person.
    users: people * 200,
    env: { LIVE_CHECKS_PER_USER_PER_MINUTE: '600', LIVE_CHECKS_PER_MINUTE: '6000' },
    beforeCall: async (_operation, userName) => {
      if (counting && userName === undefined) sharedCallsAt.push(epochNow());
      if (counting && userName !== undefined) {
        iamCalls.set(userName, (iamCalls.get(userName) ?? 0) + 1);
        if (!firstCallAt.has(userName)) firstCallAt.set(userName, epochNow());
      }
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    },
    rateLimitWait: async (ms: number, client: SlackClientRole) => {
      if (client === 'scan') {
        scanWaiting = true;
        // The scan sits in its Retry-After for the whole measurement.
        await scanMayGoOn;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
  let scanning: Promise<unknown> = Promise.resolve();
  try {
    const first = await world.bot.runScanCycle('command');
    if (first.kind !== 'completed') throw new Error(`responsiveness: first scan ${first.kind}`);
    const pending: Pending[] = [];
    for (let person = 0; person < people; person += 1) {
      const owner = person * 10;
      const account = Math.floor((person * 200) / 5000);
      const local = (person * 200) % 5000;
      const users = world.accounts[account]?.users ?? [];
      const name = (offset: number): string => users[local + offset]?.userName ?? '?';
      const [dm] = dmsTo(world.slack, ownerSlackId(owner));
      if (dm === undefined) throw new Error(`responsiveness: owner ${ownerSlackId(owner)} has no DM`);
      const actor = person < approvers ? (APPROVER_IDS[person] ?? '') : ownerSlackId(owner);
      for (const offset of [2, 3]) {
        const responseUrl = world.slack.responseUrl();
        const text = `${world.accounts[account]?.accountId ?? ''}/${name(offset)}`;
        pending.push({
          kind: 'status',
          userName: name(offset),
          responseUrl,
          message: null,
          request: { kind: 'command', input: { userId: actor, text, responseUrl } },
        });
      }
      for (const offset of [0, 1]) {
        const button = userButton(dm.blocks, name(offset), 'mfa_recheck');
        const responseUrl = world.slack.responseUrl();
        // An approver clicks the same button in an ephemeral /mfa-status reply; an owner in the DM.
        const where =
          actor === ownerSlackId(owner)
            ? { channel: dm.channel, ts: dm.ts, containerType: 'message' as const }
            : { channel: `D${actor}`, ts: '1700000999.000100', containerType: 'ephemeral' as const };
        pending.push({
          kind: 'recheck',
          userName: name(offset),
          responseUrl,
          message: where.containerType === 'message' ? { channel: where.channel, ts: where.ts } : null,
          request: {
            kind: 'action',
            input: {
              userId: actor,
              actionId: button.actionId,
              value: button.value,
              triggerId: world.slack.triggerId(),
              responseUrl,
              containerType: where.containerType,
              channelId: where.channel,
              messageTs: where.ts,
            },
          },
        });
      }
    }

    // The next day's scan: its first post is answered 429, Retry-After 60 s, which its client waits out.
    world.clock.advance(DAY_MS);
    world.slack.rateLimitNext('chat.postMessage', RETRY_AFTER_S);
    scanning = world.bot.runScanCycle('schedule');
    await waitUntil(() => scanWaiting, "the scan's client to wait out the 429", 120_000);

    const seenResponses = world.slack.responses.length;
    const seenUpdates = world.slack.updates.length;
    const answeredAt = new Map<Pending, number>();
    const byUrl = new Map(pending.map((p) => [p.responseUrl, p]));
    const byMessage = new Map<string, Pending[]>();
    for (const p of pending) {
      if (p.message === null) continue;
      const key = `${p.message.channel}|${p.message.ts}`;
      byMessage.set(key, [...(byMessage.get(key) ?? []), p]);
    }
    let responsesRead = seenResponses;
    let updatesRead = seenUpdates;
    const readAnswers = (now: number): void => {
      for (; responsesRead < world.slack.responses.length; responsesRead += 1) {
        const p = byUrl.get(world.slack.responses[responsesRead]?.url ?? '');
        if (p !== undefined && !answeredAt.has(p)) answeredAt.set(p, now);
      }
      for (; updatesRead < world.slack.updates.length; updatesRead += 1) {
        const u = world.slack.updates[updatesRead];
        // Two offenders share a DM: the first update not yet claimed is the one that arrived for its click.
        const p = u === undefined ? undefined : byMessage.get(`${u.channel}|${u.ts}`)?.find((q) => !answeredAt.has(q));
        if (p !== undefined) answeredAt.set(p, now);
      }
    };
    const job: SenderJob = {
      port: world.port,
      signingSecret: SIGNING_SECRET,
      requests: pending.map((p) => p.request),
    };
    const sender = await startSender(job);
    delayMs = iamMs;
    counting = true;
    const started = performance.now();
    const poller = setInterval(() => readAnswers(epochNow()), 2);
    const sent = await sender.go();
    const acks = pending.map((p, i) => {
      const timing = sent[i];
      if (timing === undefined) throw new Error('responsiveness: the sender lost a request');
      return { p, timing };
    });
    const budgetMs = 30_000 + iamMs * 10;
    await waitUntil(
      () => answeredAt.size >= pending.length || performance.now() - started > budgetMs,
      'the answers',
      budgetMs + 5000,
    );
    clearInterval(poller);
    readAnswers(epochNow());
    counting = false;
    delayMs = 0;
    const timings: RequestTiming[] = acks.flatMap(({ p, timing }) => {
      const { sentAt: sent, ackedAt: at } = timing;
      const answered = answeredAt.get(p);
      if (timing.status !== 200 || answered === undefined) return [];
      const first = firstCallAt.get(p.userName) ?? answered;
      const shared = sharedCallsAt.filter((t) => t >= sent && t < first).length;
      const calls = (iamCalls.get(p.userName) ?? 0) + shared;
      return [
        {
          kind: p.kind,
          ackMs: at - sent,
          answerMs: answered - sent,
          iamCalls: calls,
          beyondIamMs: answered - sent - calls * iamMs,
        },
      ];
    });
    return {
      people,
      approvers,
      iamMs,
      timings,
      unanswered: pending.length - timings.length,
      scanWaiting: scanWaiting,
    };
  } finally {
    delayMs = 0;
    releaseScan();
    await Promise.race([scanning, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await world.stop();
  }
};
