import { population, userKind } from '../../bench/population';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('the bench population', () => {
  const users = population({ users: 5000, now: NOW, accountIndex: 3 });
  const share = (test: (u: (typeof users)[number], i: number) => boolean): number =>
    users.filter(test).length / users.length;

  it.each<[string, number, number]>([
    ['60 % have a console password', share((u) => u.password), 0.6],
    ['1 % are non-compliant', share((_, i) => userKind(i) === 'non_compliant'), 0.01],
    ['0.5 % are exempt (tagged)', share((u) => u.tags?.['mfa-exempt'] !== undefined), 0.005],
    ['0.5 % are in grace (created an hour ago)', share((u) => u.created === '2026-11-30T11:00:00Z'), 0.005],
    ['every password without MFA is an offender, exempt or in grace', share((u) => u.password && u.mfa === 0), 0.02],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 5);
  });

  it('spreads owners over 5 % of the users, by email and by Slack id in alternating runs of ten', () => {
    const owners = (key: string): number => new Set(users.flatMap((u) => u.tags?.[key] ?? [])).size;
    // 25 runs of ten owners: 13 by Slack id, 12 by email.
    expect([owners('slack-owner'), owners('owner-email')]).toEqual([130, 120]);
  });

  it('gives the owners with findings (one in ten) half by email and half by Slack id', () => {
    const offenders = users.filter((_, i) => userKind(i) === 'non_compliant');
    const byEmail = offenders.filter((u) => u.tags?.['owner-email'] !== undefined).length;
    expect([offenders.length, byEmail]).toEqual([50, 24]);
  });

  it('names users per account, so that accounts never share a user', () => {
    expect(users[0]?.name).toBe('a3-user-00000');
    expect(population({ users: 1, now: NOW, accountIndex: 4 })[0]?.name).toBe('a4-user-00000');
  });
});
