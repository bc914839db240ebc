import { fromInstallation, type Installation, isOwnMember } from '../../src/domain/organization';

const WORKSPACE: Installation = { teamId: 'T0HOME', enterpriseId: null, enterpriseInstall: false };
/** A workspace install in a workspace that belongs to an Enterprise Grid organization. */
const GRID_WORKSPACE: Installation = { teamId: 'T0HOME', enterpriseId: 'E0ORG', enterpriseInstall: false };
/** Installed for the whole organization. */
const ORG_WIDE: Installation = { teamId: 'T0HOME', enterpriseId: 'E0ORG', enterpriseInstall: true };

describe('fromInstallation', () => {
  it.each<[string, Installation, string | null, string | null, boolean]>([
    ['own team', WORKSPACE, 'T0HOME', null, true],
    ['another team (Slack Connect)', WORKSPACE, 'T0PARTNER', null, false],
    ['no team said', WORKSPACE, null, null, false],
    ['empty team', WORKSPACE, '', null, false],
    ['own team in a Grid workspace', GRID_WORKSPACE, 'T0HOME', 'E0ORG', true],
    ['a sibling workspace of the same Grid, on a workspace install', GRID_WORKSPACE, 'T0SIBLING', 'E0ORG', false],
    ['org-wide: a member of any workspace of the organization', ORG_WIDE, 'T0SIBLING', 'E0ORG', true],
    ['org-wide: Slack names the organization as the user’s team', ORG_WIDE, 'E0ORG', null, true],
    ['org-wide: another organization', ORG_WIDE, 'T0PARTNER', 'E0PARTNER', false],
    ['org-wide: no enterprise said', ORG_WIDE, 'T0HOME', null, false],
    [
      'org-wide install whose auth.test named no enterprise',
      { ...ORG_WIDE, enterpriseId: null },
      'T0HOME',
      null,
      false,
    ],
  ])('%s → %s', (_label, installation, teamId, enterpriseId, expected) => {
    expect(fromInstallation(installation, { userId: 'U1', teamId, enterpriseId })).toBe(expected);
  });
});

describe('isOwnMember', () => {
  it.each<[string, Installation, string | null, string | null, boolean]>([
    ['a member of the workspace', WORKSPACE, 'T0HOME', null, true],
    ['someone of another organization found by email', WORKSPACE, 'T0PARTNER', 'E0PARTNER', false],
    ['no team known', WORKSPACE, null, null, false],
    ['org-wide: a member of the organization', ORG_WIDE, 'T0SIBLING', 'E0ORG', true],
    ['org-wide: someone of another organization', ORG_WIDE, 'T0PARTNER', null, false],
  ])('%s → %s', (_label, installation, teamId, enterpriseId, expected) => {
    expect(isOwnMember(installation, { teamId, enterpriseId })).toBe(expected);
  });
});
