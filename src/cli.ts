#!/usr/bin/env node
import { config as loadDotenv } from 'dotenv';

import { processHolder } from './adapters/process-holder';
import { systemClock } from './adapters/system-clock';
import { createAccountsFromConfig } from './app';
import { runCli } from './cli/run-cli';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
// quiet: dotenv would otherwise print to stdout, which belongs to the table / JSON.
loadDotenv({ quiet: true });

runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  },
  {
    clock: systemClock,
    createAccounts: createAccountsFromConfig,
    holder: processHolder('cli'),
  },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mfa-guard: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
