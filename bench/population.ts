import type { FakeUser } from '../test/support/fake-aws-http';

/**
 * The users of one simulated account, as the issue sets them: 60 % have a console password; of
 * all users 1 % are non-compliant (password, no MFA), 0.5 % exempt (tagged) and 0.5 % in grace
 * (created an hour ago); owners are 5 % of the user count, each owning a run of consecutive
 * users, half named by email (owner-email) and half by Slack id (slack-owner), alternating in runs
 * of ten owners. Deterministic.
 */
export interface PopulationSettings {
  readonly users: number;
  readonly now: Date;
  /** Distinguishes the accounts of an organization: names, owners and emails carry it. */
  readonly accountIndex: number;
  /** Owners shared by every account when set (the Slack scenario), else 5 % of `users`. */
  readonly owners?: number;
  /** Where this account's owners start in a shared owner list. */
  readonly ownerOffset?: number;
}

export type UserKind = 'non_compliant' | 'exempt' | 'grace' | 'compliant' | 'no_password';

/** Per 200 users: 2 non-compliant, 1 exempt, 1 grace; 60 % of all users have a password. */
export const userKind = (index: number): UserKind => {
  const slot = index % 200;
  if (slot < 2) return 'non_compliant';
  if (slot === 2) return 'exempt';
  if (slot === 3) return 'grace';
  // Slots 4..199 (196 of them): 116 with a password and MFA, so 120 of 200 (60 %) have a password.
  return slot < 120 ? 'compliant' : 'no_password';
};

export const ownerSlackId = (owner: number): string => `UB${String(owner).padStart(8, '0')}`;
export const ownerEmail = (owner: number): string => `owner-${owner}@bench.example.com`;

const DAY_MS = 86_400_000;

export const population = (settings: PopulationSettings): FakeUser[] => {
  const { users, now, accountIndex } = settings;
  const owners = settings.owners ?? Math.max(1, Math.round(users * 0.05));
  const perOwner = Math.max(1, Math.ceil(users / owners));
  const old = new Date(now.getTime() - 400 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const recent = new Date(now.getTime() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return Array.from({ length: users }, (_, i) => {
    const kind = userKind(i);
    const owner = (settings.ownerOffset ?? 0) + (Math.floor(i / perOwner) % owners);
    // In runs of ten, so that the owners with findings (every tenth) are split half and half too.
    const ownerTag: Record<string, string> =
      Math.floor(owner / 10) % 2 === 0 ? { 'slack-owner': ownerSlackId(owner) } : { 'owner-email': ownerEmail(owner) };
    return {
      name: `a${accountIndex}-user-${String(i).padStart(5, '0')}`,
      created: kind === 'grace' ? recent : old,
      password: kind !== 'no_password',
      mfa: kind === 'compliant' ? 1 : 0,
      tags: kind === 'exempt' ? { ...ownerTag, 'mfa-exempt': 'bench: break-glass user' } : ownerTag,
    };
  });
};
