#!/usr/bin/env node
import { systemClock } from './adapters/system-clock';
import { runDemo } from './demo/run-demo';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

runDemo(
  { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
  systemClock,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mfa-guard demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
