import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const MANIFEST_PATH = path.resolve(__dirname, '../manifest.yml');
// A copy of Slack's schema from the shared reference folder, kept in the repository so a clean
// clone (CI) validates the manifest too. A missing file fails this test, never skips it: an
// unvalidated manifest is exactly what the test guards.
const SCHEMA_PATH = path.resolve(__dirname, 'fixtures/slack-app-manifest.schema.1.0.0.json');
// Where the copy came from; when it is there, the copy must not have drifted from it.
const REFERENCE_SCHEMA_PATH = path.resolve(__dirname, '../../shared/reference/slack-app-manifest.schema.1.0.0.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const loadValidator = (): ValidateFunction => {
  if (!existsSync(SCHEMA_PATH)) {
    throw new Error(
      `Slack's manifest schema is missing at ${SCHEMA_PATH}; the manifest cannot be validated without it.`,
    );
  }
  const schema: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  if (typeof schema !== 'object' || schema === null) throw new Error('the manifest schema is not a JSON object');
  // `formats.uri: true` accepts any string for the schema's one `format: uri` (ajv-formats is not
  // installed) instead of ajv warning that it ignores it.
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { uri: true } });
  return ajv.compile(schema);
};

const loadManifest = (): Record<string, Json> => {
  const manifest: Json = parse(readFileSync(MANIFEST_PATH, 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    throw new Error('manifest.yml is not a mapping');
  return manifest;
};

const copy = (manifest: Record<string, Json>): Record<string, Json> => structuredClone(manifest);

/** Follows a dotted path through objects and arrays (numeric segments index arrays). */
const at = (value: Json | undefined, dotted: string): Json | undefined =>
  dotted.split('.').reduce<Json | undefined>((node, key) => {
    if (Array.isArray(node)) return node[Number(key)];
    if (typeof node === 'object' && node !== null) return node[key];
    return undefined;
  }, value);

const mapping = (value: Json | undefined): Record<string, Json> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a mapping');
  return value;
};

describe('manifest.yml', () => {
  let validate: ValidateFunction;
  let manifest: Record<string, Json>;

  beforeAll(() => {
    validate = loadValidator();
    manifest = loadManifest();
  });

  it("validates against Slack's app manifest schema", () => {
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('asks for exactly the bot scopes the bot uses', () => {
    expect(at(manifest, 'oauth_config.scopes.bot')).toEqual(
      expect.arrayContaining([
        'chat:write',
        'im:write',
        'im:history',
        'users:read',
        'users:read.email',
        'commands',
        'channels:read',
        'groups:read',
      ]),
    );
    expect(at(manifest, 'oauth_config.scopes.bot')).toHaveLength(8);
    expect(at(manifest, 'oauth_config.scopes.user')).toBeUndefined();
  });

  it('has the bot user (always online), the /mfa-status command, interactivity, App Home and its events', () => {
    expect(at(manifest, 'features.bot_user')).toEqual({ display_name: 'mfa-guard', always_online: true });
    expect(at(manifest, 'features.slash_commands')).toEqual([
      expect.objectContaining({
        command: '/mfa-status',
        usage_hint: expect.stringContaining('summary'),
        should_escape: true,
      }),
    ]);
    expect(at(manifest, 'features.slash_commands.0.description')).toEqual(expect.any(String));
    expect(at(manifest, 'settings.interactivity.is_enabled')).toBe(true);
    expect(at(manifest, 'features.app_home')).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(at(manifest, 'settings.event_subscriptions.bot_events')).toEqual(['app_home_opened', 'message.im']);
  });

  it('uses Socket Mode, so no request URL is set anywhere', () => {
    expect(at(manifest, 'settings.socket_mode_enabled')).toBe(true);
    expect(at(manifest, 'settings.org_deploy_enabled')).toBe(false);
    expect(at(manifest, 'settings.token_rotation_enabled')).toBe(false);
    expect(at(manifest, 'settings.interactivity.request_url')).toBeUndefined();
    expect(at(manifest, 'settings.event_subscriptions.request_url')).toBeUndefined();
    expect(at(manifest, 'features.slash_commands.0.url')).toBeUndefined();
  });

  it('still validates after the changes its comments describe for HTTP mode', () => {
    const http = copy(manifest);
    const url = 'https://YOUR-HOST/slack/events';
    const settings = mapping(http['settings']);
    settings['socket_mode_enabled'] = false;
    mapping(settings['interactivity'])['request_url'] = url;
    mapping(settings['event_subscriptions'])['request_url'] = url;
    mapping(at(http, 'features.slash_commands.0'))['url'] = url;
    expect(validate(http)).toBe(true);
  });

  const breakages: ReadonlyArray<[string, (m: Record<string, Json>) => void]> = [
    ['display_information.name missing', (m) => void delete mapping(m['display_information'])['name']],
    ['an unknown top-level key', (m) => void (m['scopes'] = ['chat:write'])],
    [
      'a slash command without its leading /',
      (m) => void (mapping(at(m, 'features.slash_commands.0'))['command'] = 'mfa-status'),
    ],
    ['should_escape as a string', (m) => void (mapping(at(m, 'features.slash_commands.0'))['should_escape'] = 'no')],
    ['a scope name over 50 characters', (m) => void (mapping(at(m, 'oauth_config.scopes'))['bot'] = ['x'.repeat(51)])],
    [
      'a request URL that is not http(s)',
      (m) => void (mapping(at(m, 'settings.interactivity'))['request_url'] = 'ftp://host/slack/events'),
    ],
    ['interactivity without is_enabled', (m) => void delete mapping(at(m, 'settings.interactivity'))['is_enabled']],
  ];

  it.each(breakages)('rejects a copy with %s (the validator really checks)', (_name, breakIt) => {
    const broken = copy(manifest);
    breakIt(broken);
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.length).toBeGreaterThan(0);
  });
});

describe('the schema copy', () => {
  const reference = existsSync(REFERENCE_SCHEMA_PATH) ? readFileSync(REFERENCE_SCHEMA_PATH, 'utf8') : null;
  // The reference folder sits next to the repository on the machine the project is built on; a
  // clean clone elsewhere has only the copy, which the tests above then use alone.
  (reference === null ? it.skip : it)('matches the shared reference schema byte for byte', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(reference);
  });
});
