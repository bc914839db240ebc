import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export type ProcessRole = 'bot' | 'cli' | 'playground';

/**
 * Who this process is, for the scan lease and for removal claims: role, host and PID for people
 * reading it, and a random part because containers often share a hostname and all run as PID 1.
 * Two processes never get the same holder, so the lease and a claim exclude each other.
 */
export const processHolder = (
  role: ProcessRole,
  host: string = hostname(),
  pid: number = process.pid,
  random: () => string = () => randomBytes(6).toString('hex'),
): string => `${role}:${host}:${pid}:${random()}`;
