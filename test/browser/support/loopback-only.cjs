/**
 * A preload (node --require) that refuses every network connection that is not to the loopback
 * address, before anything is sent, and writes each refusal to $LOOPBACK_LOG (one JSON line): the
 * browser tests run a whole playground session under it and expect that file to stay empty.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const log = process.env.LOOPBACK_LOG;

const isLoopback = (host) => {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host.startsWith('::ffff:127.');
  return false;
};

const refuse = (what) => {
  if (log !== undefined) fs.appendFileSync(log, `${JSON.stringify({ refused: what })}\n`);
  return new Error(`loopback-only preload: refused a connection to ${what}`);
};

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null && typeof options.path !== 'string') {
    const host = options.host;
    if (!isLoopback(host)) {
      const error = refuse(`${String(host)}:${String(options.port)}`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
  } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
    const host = typeof args[1] === 'string' ? args[1] : undefined;
    if (!isLoopback(host)) {
      const error = refuse(`${String(host)}:${String(options)}`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
  }
  return originalConnect.apply(this, args);
};

module.exports = { isLoopback };
