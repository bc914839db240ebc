import type { Server } from 'node:http';

import { App, type Logger as BoltLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';

import type { BotIdentity } from '../domain/slack-records';
import { HEALTH_PATH, type HealthReport, listeningPort, respondHealth, startHealthServer } from './health-route';

export type SlackConnection =
  { readonly mode: 'socket'; readonly appToken: string } | { readonly mode: 'http'; readonly signingSecret: string };

export interface BoltAppOptions {
  readonly botToken: string;
  readonly connection: SlackConnection;
  readonly port: number;
  /** The address to listen on in HTTP mode; every interface when absent (the playground: loopback only). */
  readonly host?: string;
  readonly identity: BotIdentity;
  readonly clientOptions: WebClientOptions;
  readonly logger: BoltLogger;
  readonly health: () => Promise<HealthReport>;
  /** Adds the command, button and event listeners before the app starts. */
  readonly register: (app: App) => void;
}

export interface RunningBoltApp {
  readonly app: App;
  /** The port /healthz (and, in HTTP mode, /slack/events) listens on. */
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The Bolt app in Socket Mode or HTTP mode. The bot's identity comes from our own auth.test at
 * start-up, so Bolt makes no auth call of its own; every Web API call goes through clientOptions
 * (SLACK_API_URL), Socket Mode's apps.connections.open included.
 */
export const startBoltApp = async (options: BoltAppOptions): Promise<RunningBoltApp> => {
  const common = {
    token: options.botToken,
    botId: options.identity.botId,
    botUserId: options.identity.botUserId,
    clientOptions: options.clientOptions,
    logger: options.logger,
  };

  // Without a global handler Bolt only logs at debug; a failing listener should be visible.
  const onError = async (error: Error): Promise<void> => {
    options.logger.error(`a Slack request failed: ${error.message}`);
  };

  if (options.connection.mode === 'socket') {
    const app = new App({ ...common, socketMode: true, appToken: options.connection.appToken });
    app.error(onError);
    options.register(app);
    const health = await startHealthServer(options.health, options.port);
    try {
      await app.start();
    } catch (error) {
      health.close();
      throw error;
    }
    return {
      app,
      port: listeningPort(health),
      stop: async () => {
        await app.stop();
        await new Promise<void>((resolve) => health.close(() => resolve()));
      },
    };
  }

  const app = new App({
    ...common,
    signingSecret: options.connection.signingSecret,
    endpoints: '/slack/events',
    port: options.port,
    customRoutes: [
      { path: HEALTH_PATH, method: ['GET'], handler: (_req, res) => void respondHealth(options.health, res) },
    ],
  });
  app.error(onError);
  options.register(app);
  const server: Server = await (options.host === undefined
    ? app.start()
    : app.start({ port: options.port, host: options.host }));
  return { app, port: listeningPort(server), stop: async () => void (await app.stop()) };
};
