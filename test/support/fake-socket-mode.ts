/**
 * A local Socket Mode server on 127.0.0.1, so the real bot (Bolt's SocketModeClient) can be driven
 * over a WebSocket as Slack drives it: the fake Slack API's apps.connections.open hands out `url`,
 * the client connects, is greeted with `hello`, receives envelopes and acks them by envelope_id.
 *
 * Every wait is a promise that settles on an event (a connection, an ack, a pong), so tests never
 * sleep; bound them with a timeout in the test so a missing event fails instead of hanging.
 *
 * Protocol as documented by Slack (https://docs.slack.dev/apis/events-api/using-socket-mode) and
 * as @slack/socket-mode 3 reads it (dist/src/SocketModeClient.js: onWebSocketMessage, send).
 */
import type { AddressInfo } from 'node:net';

import { type RawData, WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** One message Slack pushes to the app; the app must ack `envelope_id` within 3 seconds. */
export interface SocketModeEnvelope {
  readonly envelope_id: string;
  readonly type: EnvelopeType;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly accepts_response_payload: boolean;
  /** Events API envelopes only: 0 on the first delivery. */
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

/** The client's ack: `{ envelope_id, payload? }` (SocketModeClient always sends a payload, `{}` when empty). */
export interface SocketModeAck {
  readonly envelopeId: string;
  readonly payload: Readonly<Record<string, unknown>> | undefined;
  /** Which connection (1-based) the ack came back on. */
  readonly connection: number;
}

export interface DeliverOptions {
  /** Slack's default: true for slash commands, false for block actions and events. */
  readonly acceptsResponsePayload?: boolean;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:PORT/link/?app_id=…`, for the fake Slack's apps.connections.open. */
  readonly url: string;
  /** Connections accepted so far, the current one last (each was greeted with `hello`). */
  readonly connections: number;
  /** Every ack received, oldest first. */
  readonly acks: readonly SocketModeAck[];
  /** Messages from the client that were not a first ack of a delivered envelope (should stay empty). */
  readonly stray: readonly string[];
  /** Resolves once the n-th connection (1-based) is open and greeted; at once if it already was. */
  connected(n: number): Promise<void>;
  /**
   * Sends an envelope on the current connection; resolves with the client's ack, rejects if that
   * connection closes first.
   */
  deliver(
    type: EnvelopeType,
    payload: Readonly<Record<string, unknown>>,
    options?: DeliverOptions,
  ): Promise<SocketModeAck>;
  /** A protocol ping on the current connection; resolves on its pong. */
  ping(): Promise<void>;
  /** Resolves on the next protocol ping from the client (SocketModeClient pings every clientPingTimeout / 3). */
  nextPingFromClient(): Promise<void>;
  /**
   * Ends the current connection; resolves once it is closed. By default the server closes it (as
   * a restarted load balancer would); `announce` first sends Slack's `disconnect` message
   * (reason `refresh_requested`, as Slack does every few hours) and lets the client close it.
   */
  dropConnection(options?: { readonly announce?: boolean }): Promise<void>;
  /**
   * Resolves once no connection is open, at once if none is. Bolt's stop() does not wait for
   * its WebSocket to close, so a test awaits this after bot.stop() to see the bot hang up.
   */
  allClosed(): Promise<void>;
  /** Closes any connection still open (with a close handshake) and the server. */
  close(): Promise<void>;
}

interface Pending {
  readonly connection: number;
  readonly resolve: (ack: SocketModeAck) => void;
  readonly reject: (error: Error) => void;
}

const DEFAULT_ACCEPTS_RESPONSE_PAYLOAD: Readonly<Record<EnvelopeType, boolean>> = {
  slash_commands: true,
  interactive: false,
  events_api: false,
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** ws hands text frames over as a Buffer by default (binaryType 'nodebuffer'); the other RawData forms for completeness. */
const textOf = (data: RawData): string => {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data))).toString('utf8');
};

export const startFakeSocketMode = async (options: { readonly appId?: string } = {}): Promise<FakeSocketMode> => {
  const appId = options.appId ?? 'A0TEST';
  // The path Slack's URLs use; ws answers 400 to an upgrade on any other path.
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link/' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake Socket Mode server has no TCP port');
  const { port } = address;

  const sockets: WebSocket[] = [];
  const acks: SocketModeAck[] = [];
  const stray: string[] = [];
  const pending = new Map<string, Pending>();
  const connectionWaiters: { readonly n: number; readonly resolve: () => void }[] = [];
  let clientPingWaiters: (() => void)[] = [];
  let closedWaiters: (() => void)[] = [];
  let envelopeCounter = 0;

  const openSockets = (): WebSocket[] => sockets.filter((s) => s.readyState !== WebSocket.CLOSED);

  const current = (): { socket: WebSocket; connection: number } => {
    const socket = sockets[sockets.length - 1];
    if (socket === undefined || socket.readyState !== WebSocket.OPEN)
      throw new Error('the fake Socket Mode server has no open connection');
    return { socket, connection: sockets.length };
  };

  const onMessage = (connection: number, raw: string): void => {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      stray.push(raw);
      return;
    }
    const envelopeId = isRecord(message) ? message['envelope_id'] : undefined;
    const waiting = typeof envelopeId === 'string' ? pending.get(envelopeId) : undefined;
    // Unknown or repeated envelope ids are recorded, not thrown: a test asserts `stray` is empty.
    if (!isRecord(message) || typeof envelopeId !== 'string' || waiting === undefined) {
      stray.push(raw);
      return;
    }
    pending.delete(envelopeId);
    const payload = message['payload'];
    const ack: SocketModeAck = { envelopeId, payload: isRecord(payload) ? payload : undefined, connection };
    acks.push(ack);
    waiting.resolve(ack);
  };

  server.on('connection', (socket) => {
    sockets.push(socket);
    const connection = sockets.length;
    socket.on('message', (data, isBinary) => {
      if (isBinary) stray.push('<binary>');
      else onMessage(connection, textOf(data));
    });
    // ws answers pings with a pong by itself (autoPong); this only tells waiting tests.
    socket.on('ping', () => {
      const waiters = clientPingWaiters;
      clientPingWaiters = [];
      waiters.forEach((resolve) => resolve());
    });
    socket.on('close', () => {
      // An envelope never acked on a closed connection is lost, as with Slack: fail its waiter now.
      for (const [id, waiting] of pending) {
        if (waiting.connection !== connection) continue;
        pending.delete(id);
        waiting.reject(new Error(`connection ${connection} closed before envelope ${id} was acked`));
      }
      if (openSockets().length > 0) return;
      const waiters = closedWaiters;
      closedWaiters = [];
      waiters.forEach((resolve) => resolve());
    });
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    // SocketModeClient reports itself connected (and Bolt's start() resolves) on this message.
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open,
        debug_info: { host: 'fake-socket-mode', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    for (const waiter of connectionWaiters.filter((w) => w.n <= connection)) {
      connectionWaiters.splice(connectionWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });

  return {
    url: `ws://127.0.0.1:${port}/link/?app_id=${appId}`,
    get connections() {
      return sockets.length;
    },
    acks,
    stray,
    connected: (n) =>
      sockets.length >= n ? Promise.resolve() : new Promise<void>((resolve) => connectionWaiters.push({ n, resolve })),
    deliver: (type, payload, deliverOptions = {}) => {
      const { socket, connection } = current();
      envelopeCounter += 1;
      const envelope: SocketModeEnvelope = {
        envelope_id: `fake-envelope-${envelopeCounter}`,
        type,
        payload,
        accepts_response_payload: deliverOptions.acceptsResponsePayload ?? DEFAULT_ACCEPTS_RESPONSE_PAYLOAD[type],
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      };
      const acked = new Promise<SocketModeAck>((resolve, reject) => {
        pending.set(envelope.envelope_id, { connection, resolve, reject });
      });
      // Handled here too, so a test that fails before awaiting it leaves no unhandled rejection.
      acked.catch(() => undefined);
      socket.send(JSON.stringify(envelope));
      return acked;
    },
    ping: () => {
      const { socket } = current();
      return new Promise<void>((resolve) => {
        socket.once('pong', () => resolve());
        socket.ping();
      });
    },
    nextPingFromClient: () => new Promise<void>((resolve) => clientPingWaiters.push(resolve)),
    dropConnection: (dropOptions = {}) => {
      const { socket } = current();
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      if (dropOptions.announce === true) {
        socket.send(
          JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-socket-mode' } }),
        );
      } else {
        // 1001 "going away": what a server that is shutting down sends.
        socket.close(1001, 'fake-socket-mode dropped the connection');
      }
      return closed;
    },
    allClosed: () =>
      openSockets().length === 0 ? Promise.resolve() : new Promise<void>((resolve) => closedWaiters.push(resolve)),
    close: async () => {
      // A handshake, not terminate(): a connection torn down while SocketModeClient is closing it
      // makes it call disconnect() twice, and the first 30 s close-handshake timer then leaks.
      await Promise.all(
        openSockets().map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve());
              if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'fake-socket-mode is shutting down');
            }),
        ),
      );
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error === undefined ? resolve() : reject(error))),
      );
    },
  };
};
