/**
 * `npm run test:browser`: the playground's page in headless Chromium (Debian's `chromium`), kept out
 * of `npm test`. Runs dist/playground.js, so the script builds first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 90_000,
  // One Chromium at a time on a 2-core machine.
  maxWorkers: 1,
};
