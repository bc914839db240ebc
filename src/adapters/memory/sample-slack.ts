/**
 * The Slack side of the sample account: who the owners in SAMPLE_OWNERS_FILE_YAML and the sample
 * tags are. dana@example.com is deliberately missing, so the demo shows an offender whose owner is
 * not in Slack going to the security channel.
 */
import { InMemorySlack, type MemorySlackChannel, type MemorySlackUser } from './in-memory-slack';

export const SAMPLE_SECURITY_CHANNEL = 'C0SECURITY01';

export const SAMPLE_SLACK_USERS: readonly MemorySlackUser[] = [
  { id: 'U012ABCDEF', deleted: false, isBot: false, email: 'alice@example.com' },
  { id: 'U0BOB12345', deleted: false, isBot: false, email: 'bob@example.com' },
  { id: 'U0PLATFORM1', deleted: false, isBot: false, email: 'platform@example.com' },
  { id: 'U0SECURITY1', deleted: false, isBot: false, email: 'security@example.com' },
  { id: 'U0JULES0001', deleted: false, isBot: false, email: 'jules@example.com' },
];

export const SAMPLE_SLACK_CHANNELS: readonly MemorySlackChannel[] = [
  { id: SAMPLE_SECURITY_CHANNEL, name: 'security-alerts', isMember: true },
];

export const createSampleSlack = (): InMemorySlack => new InMemorySlack(SAMPLE_SLACK_USERS, SAMPLE_SLACK_CHANNELS);
