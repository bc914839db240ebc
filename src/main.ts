#!/usr/bin/env node
import { config as loadDotenv } from 'dotenv';

import { processHolder } from './adapters/process-holder';
import { systemClock } from './adapters/system-clock';
import { runBot } from './bot/run-bot';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
loadDotenv({ quiet: true });

runBot({
  env: process.env,
  stderr: (text) => process.stderr.write(text),
  stdout: (text) => process.stdout.write(text),
  onSignal: (handler) => {
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('SIGINT', () => handler('SIGINT'));
  },
  onFatal: (handler) => {
    process.on('unhandledRejection', handler);
    process.on('uncaughtException', handler);
  },
  clock: systemClock,
  holder: processHolder('bot'),
}).then(
  (code) => {
    // Exits even if a library left a handle open (Socket Mode's reconnect timers, keep-alive sockets).
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`mfa-guard: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  },
);
