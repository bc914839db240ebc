/**
 * Who a person can be in the playground: the sample workspace's people (sample-slack.ts), each
 * with a name to show and what they are to the sample accounts, plus a stranger who owns nothing.
 */
import { SAMPLE_SECURITY_CHANNEL } from '../adapters/memory/sample-slack';

export interface PlaygroundPerson {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** What they are in the story, shown next to their name. */
  readonly role: string;
}

export const PLAYGROUND_APPROVER = 'U0SECURITY1';
export const PLAYGROUND_STRANGER = 'U0STRANGER1';

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  { id: 'U012ABCDEF', name: 'Alice', email: 'alice@example.com', role: 'owner of alice (acme-prod)' },
  {
    id: 'U0BOB12345',
    name: 'Bob',
    email: 'bob@example.com',
    role: 'owner of bob (acme-prod) and alice (acme-staging)',
  },
  {
    id: 'U0PLATFORM1',
    name: 'Platform team',
    email: 'platform@example.com',
    role: "owner of svc-* and acme-staging's unclaimed users",
  },
  { id: PLAYGROUND_APPROVER, name: 'Sasha (security)', email: 'security@example.com', role: 'approver' },
  { id: 'U0JULES0001', name: 'Jules', email: 'jules@example.com', role: 'owner of jules, who has MFA' },
  { id: PLAYGROUND_STRANGER, name: 'Sam', email: 'sam@example.com', role: 'stranger: owns nothing' },
];

export const PLAYGROUND_CHANNEL = { id: SAMPLE_SECURITY_CHANNEL, name: 'security-alerts' } as const;

export const personById = (id: string): PlaygroundPerson | undefined => PLAYGROUND_PEOPLE.find((p) => p.id === id);
