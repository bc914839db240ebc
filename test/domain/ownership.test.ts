import { isApprover, ownerMatches, type Viewer } from '../../src/domain/ownership';
import type { Owner } from '../../src/domain/types';

const alice: Viewer = { slackId: 'U012ABCDEF', email: 'Alice@Example.com' };
const noEmail: Viewer = { slackId: 'U012ABCDEF', email: null };

describe('ownerMatches', () => {
  it.each<[string, Owner, Viewer, boolean]>([
    ['the same Slack ID', { kind: 'slack', value: 'U012ABCDEF', source: 'tag:slack-owner' }, alice, true],
    ['another Slack ID', { kind: 'slack', value: 'U0BOB12345', source: 'tag:slack-owner' }, alice, false],
    [
      'a Slack ID differing only in case',
      { kind: 'slack', value: 'u012abcdef', source: 'tag:slack-owner' },
      alice,
      false,
    ],
    [
      'the same email, any case',
      { kind: 'email', value: 'alice@example.COM', source: 'owners-file:alice' },
      alice,
      true,
    ],
    ['another email', { kind: 'email', value: 'bob@example.com', source: 'owners-file:bob' }, alice, false],
    [
      'an email owner when Slack shows no email',
      { kind: 'email', value: 'alice@example.com', source: 'user-name' },
      noEmail,
      false,
    ],
    [
      'an email that equals the Slack ID text',
      { kind: 'email', value: 'U012ABCDEF', source: 'tag:owner' },
      noEmail,
      false,
    ],
    ['nobody', { kind: 'unowned', value: null, source: 'none' }, alice, false],
  ])('%s → %s', (_label, owner, viewer, expected) => {
    expect(ownerMatches(owner, viewer)).toBe(expected);
  });
});

describe('isApprover', () => {
  it.each<[readonly string[], string, boolean]>([
    [['U0SECURITY1'], 'U0SECURITY1', true],
    [['U0SECURITY1', 'U0APPROVER2'], 'U0APPROVER2', true],
    [['U0SECURITY1'], 'U012ABCDEF', false],
    [[], 'U0SECURITY1', false],
    [['U0SECURITY1'], 'u0security1', false],
  ])('%j includes %s → %s', (approvers, id, expected) => {
    expect(isApprover(approvers, id)).toBe(expected);
  });
});
