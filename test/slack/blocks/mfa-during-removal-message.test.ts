import { userSecurityCredentialsUrl } from '../../../src/domain/partition';
import type { RemovalRequest } from '../../../src/domain/removal';
import { buildMfaDuringRemovalMessage } from '../../../src/slack/blocks/mfa-during-removal-message';
import { ACCOUNT, HOSTILE } from './fixtures';
import { buttons, problems, request, textOf, unescaped } from './interaction-fixtures';

const DECIDED_AT = new Date('2026-11-28T13:30:00Z');

const message = (audience: 'owner' | 'approver', extra: Partial<RemovalRequest> = {}) =>
  buildMfaDuringRemovalMessage({
    request: request({ state: 'done', decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT, ...extra }),
    audience,
    account: ACCOUNT,
  });

describe('buildMfaDuringRemovalMessage', () => {
  it.each(['owner', 'approver'] as const)(
    'tells the %s what happened, who approved it, and that the password is gone',
    (audience) => {
      const built = message(audience);
      const text = textOf(built);
      expect(built.blocks[0]).toMatchObject({
        type: 'header',
        text: { text: 'MFA was added while the console password was being removed' },
      });
      expect(text).toContain('An MFA device was added to');
      expect(text).toContain('`alice` in AWS account `111122223333` while mfa-guard was removing its console password');
      expect(text).toContain('(request #7, approved by <@U0APPROVER> at 2026-11-28 13:30 UTC)');
      expect(text).toContain('The password was removed all the same');
      expect(text).toContain(
        `<${userSecurityCredentialsUrl(ACCOUNT.partition, 'alice')}|open alice in the IAM console>`,
      );
      expect(built.text.length).toBeGreaterThan(0);
      expect(buttons(built)).toEqual([]);
      expect(problems(built)).toEqual([]);
    },
  );

  it('speaks to the owner about their own user, and to an approver about giving access back', () => {
    expect(textOf(message('owner'))).toContain('your IAM user `alice`');
    expect(textOf(message('owner'))).toContain('If you need console access');
    expect(textOf(message('approver'))).toContain('to IAM user `alice`');
    expect(textOf(message('approver'))).toContain('the removal was no longer needed');
  });

  it.each(['owner', 'approver'] as const)('keeps hostile names escaped and within limits (%s)', (audience) => {
    const built = message(audience, {
      userName: `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`,
      decidedBy: 'U1> <!channel',
    });
    expect(problems(built)).toEqual([]);
    expect(unescaped(built)).toEqual([]);
  });
});
