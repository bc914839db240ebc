import { InMemoryIam, type MemoryUser } from '../../../src/adapters/memory/in-memory-iam';
import { AppError } from '../../../src/errors';
import { csvRecords, parseCsv } from './parse-csv';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const hoursBefore = (hours: number): Date => new Date(NOW.getTime() - hours * 3_600_000);

const user = (userName: string, fields: Partial<MemoryUser> = {}): MemoryUser => ({
  userName,
  userId: `AIDA${userName
    .toUpperCase()
    .replace(/[^A-Z]/g, 'X')
    .padEnd(17, '0')}`,
  createDate: hoursBefore(1000),
  loginProfile: true,
  mfaDevices: [],
  ...fields,
});

const DEVICE = {
  serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
  kind: 'virtual',
  enableDate: hoursBefore(1),
} as const;

const setup = (options: { users?: MemoryUser[]; reportPendingPolls?: number; snapshot?: MemoryUser[] } = {}) => {
  let now = NOW;
  const iam = new InMemoryIam({
    account: {
      accountId: '111122223333',
      partition: 'aws-us-gov',
      rootMfaActive: true,
      users: options.users ?? [user('alice', { mfaDevices: [DEVICE], tags: { team: 'a' } }), user('bob')],
    },
    clock: () => now,
    ...(options.reportPendingPolls === undefined ? {} : { reportPendingPolls: options.reportPendingPolls }),
    ...(options.snapshot === undefined
      ? {}
      : { reportSnapshot: { generatedAt: hoursBefore(3), users: options.snapshot } }),
  });
  return { iam, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
};

const codeOf = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : `not an AppError: ${String(error)}`),
  );

describe('InMemoryIam credential report', () => {
  it('is not present before any GenerateCredentialReport', async () => {
    const { iam } = setup();
    expect(await codeOf(iam.getCredentialReport())).toBe('iam_report_not_present');
  });

  it.each([
    [0, ['COMPLETE']],
    [1, ['STARTED', 'COMPLETE']],
    [3, ['STARTED', 'INPROGRESS', 'INPROGRESS', 'COMPLETE']],
  ])('with %i pending polls answers %j', async (reportPendingPolls, expected) => {
    const { iam } = setup({ reportPendingPolls });
    const states: string[] = [];
    for (const _ of expected) {
      if (states.length > 0) expect(await codeOf(iam.getCredentialReport())).toBe('iam_report_not_ready');
      states.push(await iam.generateCredentialReport());
    }
    expect(states).toEqual(expected);
    expect(await codeOf(iam.getCredentialReport())).toBe('resolved');
  });

  it('describes the current state with the real header, root first, generated now', async () => {
    const { iam } = setup();
    await iam.generateCredentialReport();
    const report = await iam.getCredentialReport();
    expect(report.generatedAt).toEqual(NOW);
    const rows = parseCsv(report.content);
    expect(rows.every((row) => row.length === 22)).toBe(true);
    expect(rows[0]?.slice(0, 8)).toEqual([
      'user',
      'arn',
      'user_creation_time',
      'password_enabled',
      'password_last_used',
      'password_last_changed',
      'password_next_rotation',
      'mfa_active',
    ]);
    const records = csvRecords(report.content);
    expect(records.map((r) => [r['user'], r['arn'], r['mfa_active'], r['password_enabled']])).toEqual([
      ['<root_account>', 'arn:aws-us-gov:iam::111122223333:root', 'true', 'not_supported'],
      ['alice', 'arn:aws-us-gov:iam::111122223333:user/alice', 'true', 'true'],
      ['bob', 'arn:aws-us-gov:iam::111122223333:user/bob', 'false', 'true'],
    ]);
    expect(records[1]?.['user_creation_time']).toBe('2024-03-20T18:00:00+00:00');
  });

  it('serves the snapshot (content and generatedAt) when one is given', async () => {
    const { iam } = setup({ snapshot: [user('alice'), user('gone')] });
    await iam.generateCredentialReport();
    const report = await iam.getCredentialReport();
    expect(report.generatedAt).toEqual(hoursBefore(3));
    expect(csvRecords(report.content).map((r) => [r['user'], r['mfa_active']])).toEqual([
      ['<root_account>', 'true'],
      ['alice', 'false'],
      ['gone', 'false'],
    ]);
    // The live calls tell the truth the report no longer does.
    expect(await iam.listMfaDevices('alice')).toHaveLength(1);
    expect(await iam.getUser('gone')).toBeNull();
  });

  it('keeps a generated report until the next GenerateCredentialReport', async () => {
    const { iam, advance } = setup();
    await iam.generateCredentialReport();
    iam.removeUser('bob');
    advance(60_000);
    expect((await iam.getCredentialReport()).content).toContain('\nbob,');
    await iam.generateCredentialReport();
    const report = await iam.getCredentialReport();
    expect(report.content).not.toContain('\nbob,');
    expect(report.generatedAt).toEqual(new Date(NOW.getTime() + 60_000));
  });

  it('quotes a comma-bearing user name and appends extra raw lines', async () => {
    const iam = new InMemoryIam({
      account: { accountId: '111122223333', partition: 'aws', rootMfaActive: false, users: [user('ops,backup')] },
      clock: () => NOW,
      extraReportLines: ['ops,unquoted,arn:aws:iam::111122223333:user/ops,unquoted'],
    });
    await iam.generateCredentialReport();
    const rows = parseCsv((await iam.getCredentialReport()).content);
    expect(rows[2]?.[0]).toBe('ops,backup');
    expect(rows[2]).toHaveLength(22);
    expect(rows[3]).toEqual(['ops', 'unquoted', 'arn:aws:iam::111122223333:user/ops', 'unquoted']);
  });
});

describe('InMemoryIam live calls', () => {
  it('identifies the caller and the account', async () => {
    const { iam } = setup();
    expect(await iam.getCallerIdentity()).toEqual({
      accountId: '111122223333',
      partition: 'aws-us-gov',
      arn: 'arn:aws-us-gov:iam::111122223333:user/mfa-guard-scanner',
    });
    expect(await iam.getAccountSummary()).toEqual({ accountMfaEnabled: true });
  });

  it('lists the account alias, none when the account has none', async () => {
    const { iam } = setup();
    expect(await iam.listAccountAliases()).toEqual([]);
    const aliased = new InMemoryIam({
      account: { accountId: '111122223333', partition: 'aws', alias: 'acme-prod', rootMfaActive: true, users: [] },
      clock: () => NOW,
    });
    expect(await aliased.listAccountAliases()).toEqual(['acme-prod']);
    aliased.failWith('listAccountAliases', new AppError('iam_access_denied', 'AWS denied iam:ListAccountAliases.'));
    expect(await codeOf(aliased.listAccountAliases())).toBe('iam_access_denied');
    expect(aliased.calls.map((c) => c.operation)).toEqual(['listAccountAliases', 'listAccountAliases']);
  });

  it('lists and gets users with ARNs that include the path, ignoring name case on lookup', async () => {
    const { iam } = setup({
      users: [user('erin', { path: '/eng/', passwordLastUsed: new Date('2024-04-30T01:02:03.456Z') })],
    });
    const expected = {
      userName: 'erin',
      userId: 'AIDAERIN0000000000000',
      arn: 'arn:aws-us-gov:iam::111122223333:user/eng/erin',
      path: '/eng/',
      createDate: hoursBefore(1000),
      passwordLastUsed: new Date('2024-04-30T01:02:03Z'),
    };
    expect(await iam.listUsers()).toEqual([expected]);
    expect(await iam.getUser('ERIN')).toEqual(expected);
    expect(await iam.getUser('nobody')).toBeNull();
  });

  it.each([
    ['a user with a password', 'bob', { createDate: hoursBefore(1000), passwordResetRequired: false }],
    ['a user without one', 'svc', null],
    ['an unknown user', 'nobody', null],
  ])('GetLoginProfile for %s', async (_case, userName, expected) => {
    const { iam } = setup({ users: [user('bob'), user('svc', { loginProfile: false })] });
    expect(await iam.getLoginProfile(userName)).toEqual(expected);
  });

  it('lists MFA devices and tags, and says NoSuchEntity for an unknown user', async () => {
    const { iam } = setup();
    expect(await iam.listMfaDevices('alice')).toEqual([
      { serialNumber: DEVICE.serialNumber, enableDate: DEVICE.enableDate },
    ]);
    expect(await iam.listUserTags('alice')).toEqual({ team: 'a' });
    expect(await iam.listUserTags('bob')).toEqual({});
    expect(await codeOf(iam.listMfaDevices('nobody'))).toBe('iam_no_such_entity');
    expect(await codeOf(iam.listUserTags('nobody'))).toBe('iam_no_such_entity');
  });
});

describe('InMemoryIam failures and call log', () => {
  const denied = new AppError('iam_access_denied', 'denied');

  it('fails one user only', async () => {
    const { iam } = setup();
    iam.failWith('listMfaDevices', denied, { userName: 'bob' });
    expect(await codeOf(iam.listMfaDevices('alice'))).toBe('resolved');
    expect(await codeOf(iam.listMfaDevices('bob'))).toBe('iam_access_denied');
    expect(await codeOf(iam.listMfaDevices('bob'))).toBe('iam_access_denied');
    expect(await codeOf(iam.listUserTags('bob'))).toBe('resolved');
  });

  it('fails n times then recovers', async () => {
    const { iam } = setup();
    iam.failWith('listUsers', new AppError('iam_throttled', 'slow down'), { times: 2 });
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await codeOf(iam.listUsers()));
    expect(outcomes).toEqual(['iam_throttled', 'iam_throttled', 'resolved']);
  });

  it('throws the very error it was given', async () => {
    const { iam } = setup();
    iam.failWith('getCredentialReport', denied);
    await iam.generateCredentialReport();
    await expect(iam.getCredentialReport()).rejects.toBe(denied);
  });

  it('records every call in order, failed ones included', async () => {
    const { iam } = setup();
    iam.failWith('getLoginProfile', denied, { userName: 'alice' });
    await iam.getCallerIdentity();
    await iam.getLoginProfile('alice').catch(() => undefined);
    await iam.listMfaDevices('bob');
    await iam.getAccountSummary();
    expect(iam.calls).toEqual([
      { operation: 'getCallerIdentity' },
      { operation: 'getLoginProfile', userName: 'alice' },
      { operation: 'listMfaDevices', userName: 'bob' },
      { operation: 'getAccountSummary' },
    ]);
  });
});

describe('InMemoryIam mutations', () => {
  it('adds and removes a console password; a new one is dated by the clock', async () => {
    const { iam, advance } = setup();
    iam.setLoginProfile('bob', false);
    expect(await iam.getLoginProfile('bob')).toBeNull();
    advance(5_000);
    iam.setLoginProfile('bob', true);
    expect(await iam.getLoginProfile('bob')).toEqual({
      createDate: new Date(NOW.getTime() + 5_000),
      passwordResetRequired: false,
    });
  });

  it('adds an MFA device that both live calls and the next report see', async () => {
    const { iam } = setup();
    iam.addMfaDevice('bob', { ...DEVICE, serialNumber: 'GAHT12345678', kind: 'hardware' });
    expect((await iam.listMfaDevices('bob')).map((d) => d.serialNumber)).toEqual(['GAHT12345678']);
    await iam.generateCredentialReport();
    const bob = csvRecords((await iam.getCredentialReport()).content).find((r) => r['user'] === 'bob');
    expect(bob?.['mfa_active']).toBe('true');
  });

  it('removes and adds users; a duplicate name (any case) is refused', async () => {
    const { iam } = setup();
    iam.removeUser('alice');
    iam.addUser(user('carol'));
    expect((await iam.listUsers()).map((u) => u.userName)).toEqual(['bob', 'carol']);
    expect(() => iam.addUser(user('BOB'))).toThrow(AppError);
    expect(() => iam.removeUser('alice')).toThrow(AppError);
  });
});

describe('InMemoryIam deleteLoginProfile', () => {
  it('removes the console password once; live calls and the next report see it gone', async () => {
    const { iam } = setup();
    expect(await iam.deleteLoginProfile('BOB')).toBe('deleted');
    expect(await iam.getLoginProfile('bob')).toBeNull();
    expect(await iam.deleteLoginProfile('bob')).toBe('not_found');
    await iam.generateCredentialReport();
    const bob = csvRecords((await iam.getCredentialReport()).content).find((r) => r['user'] === 'bob');
    expect(bob?.['password_enabled']).toBe('false');
    expect(await iam.getLoginProfile('alice')).not.toBeNull();
  });

  it.each([
    ['a user without a console password', 'svc'],
    // Real IAM says NoSuchEntity for a missing user too, which the AWS gateway also answers as not_found.
    ['an unknown user', 'nobody'],
  ])('answers not_found for %s', async (_case, userName) => {
    const { iam } = setup({ users: [user('svc', { loginProfile: false })] });
    expect(await iam.deleteLoginProfile(userName)).toBe('not_found');
    expect(iam.calls).toEqual([{ operation: 'deleteLoginProfile', userName }]);
  });

  it('fails as told by failWith, leaving the password, and works on the retry', async () => {
    const { iam } = setup();
    const busy = new AppError('iam_throttled', 'IAM refused iam:DeleteLoginProfile for user bob for now');
    iam.failWith('deleteLoginProfile', busy, { userName: 'bob', times: 1 });

    await expect(iam.deleteLoginProfile('bob')).rejects.toBe(busy);
    expect(await iam.getLoginProfile('bob')).not.toBeNull();
    expect(await iam.deleteLoginProfile('bob')).toBe('deleted');
    expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(2);
  });
});

/** A promise a test resolves when it chooses. */
const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

/** Lets every already-queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InMemoryIam beforeCall', () => {
  const withBeforeCall = (beforeCall: NonNullable<ConstructorParameters<typeof InMemoryIam>[0]['beforeCall']>) =>
    new InMemoryIam({
      account: {
        accountId: '111122223333',
        partition: 'aws',
        rootMfaActive: false,
        users: [user('alice', { tags: { team: 'a' } }), user('bob')],
      },
      clock: () => NOW,
      beforeCall,
    });

  it('is awaited before every gateway method, with the operation and the user name', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const iam = withBeforeCall(async (operation, userName) => {
      seen.push([operation, userName]);
    });

    await iam.getCallerIdentity();
    await iam.generateCredentialReport();
    await iam.getCredentialReport();
    await iam.listUsers();
    await iam.getUser('alice');
    await iam.getLoginProfile('alice');
    await iam.listMfaDevices('alice');
    await iam.listUserTags('alice');
    await iam.getAccountSummary();
    await iam.deleteLoginProfile('alice');

    expect(seen).toEqual([
      ['getCallerIdentity', undefined],
      ['generateCredentialReport', undefined],
      ['getCredentialReport', undefined],
      ['listUsers', undefined],
      ['getUser', 'alice'],
      ['getLoginProfile', 'alice'],
      ['listMfaDevices', 'alice'],
      ['listUserTags', 'alice'],
      ['getAccountSummary', undefined],
      ['deleteLoginProfile', 'alice'],
    ]);
    expect(iam.calls.map((c) => [c.operation, c.userName])).toEqual(seen);
  });

  it('holds the call until released; the call then sees the state as it is at release', async () => {
    const release = gate();
    const iam = withBeforeCall(() => release.opened);
    let answered = false;
    const tags = iam.listUserTags('alice').then((value) => {
      answered = true;
      return value;
    });

    await settle();
    expect(answered).toBe(false);
    expect(iam.calls).toEqual([]);
    iam.setTag('alice', 'mfa-exempt', 'break-glass');
    release.open();

    expect(await tags).toEqual({ team: 'a', 'mfa-exempt': 'break-glass' });
    expect(iam.calls).toEqual([{ operation: 'listUserTags', userName: 'alice' }]);
  });

  it('applies a failWith rule added while the call was held', async () => {
    const release = gate();
    const iam = withBeforeCall(() => release.opened);
    const removal = iam.deleteLoginProfile('bob');
    await settle();
    const busy = new AppError('iam_throttled', 'busy');
    iam.failWith('deleteLoginProfile', busy);
    release.open();

    await expect(removal).rejects.toBe(busy);
    expect(await iam.getLoginProfile('bob')).not.toBeNull();
  });

  it('lets two racing removals delete only once', async () => {
    const release = gate();
    const iam = withBeforeCall((operation) =>
      operation === 'deleteLoginProfile' ? release.opened : Promise.resolve(),
    );
    const first = iam.deleteLoginProfile('bob');
    const second = iam.deleteLoginProfile('bob');
    await settle();
    expect(await iam.getLoginProfile('bob')).not.toBeNull();
    release.open();

    expect([await first, await second]).toEqual(['deleted', 'not_found']);
  });

  it('makes every call wait as long as it says (slow IAM)', async () => {
    jest.useFakeTimers();
    try {
      const iam = withBeforeCall(() => new Promise<void>((resolve) => setTimeout(resolve, 5_000)));
      let answer: unknown = 'pending';
      const call = iam.getUser('alice').then((value) => (answer = value?.userName));

      await jest.advanceTimersByTimeAsync(4_999);
      expect(answer).toBe('pending');
      await jest.advanceTimersByTimeAsync(1);
      await call;
      expect(answer).toBe('alice');
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects the call with its own error and records nothing when it rejects', async () => {
    const refused = new AppError('iam_unexpected', 'network down in the test');
    const iam = withBeforeCall(() => Promise.reject(refused));

    await expect(iam.deleteLoginProfile('bob')).rejects.toBe(refused);
    expect(iam.calls).toEqual([]);
    expect(await iam.getLoginProfile('alice').catch((error: unknown) => error)).toBe(refused);
  });

  it('without it, a call is still recorded as soon as it is made', () => {
    const { iam } = setup();
    void iam.listUsers();
    expect(iam.calls).toEqual([{ operation: 'listUsers' }]);
  });
});

describe('InMemoryIam signals (the deadlines of a removal’s calls)', () => {
  const held = () => {
    const release = gate();
    const iam = new InMemoryIam({
      account: { accountId: '111122223333', partition: 'aws', rootMfaActive: false, users: [user('bob')] },
      clock: () => NOW,
      beforeCall: () => release.opened,
    });
    return { iam, release };
  };

  it('answers as usual while the signal has not aborted', async () => {
    const { iam } = setup();
    const { signal } = new AbortController();
    expect((await iam.getUser('alice', { signal }))?.userName).toBe('alice');
    expect(await iam.listUserTags('alice', { signal })).toEqual({ team: 'a' });
    expect(await iam.deleteLoginProfile('bob', { signal })).toBe('deleted');
  });

  it('makes no call at all once the signal has aborted', async () => {
    const { iam } = setup();
    const controller = new AbortController();
    controller.abort(new Error('no answer within 30 seconds'));

    const error = await iam.deleteLoginProfile('bob', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'iam_timeout',
      message: 'mfa-guard stopped waiting for iam:DeleteLoginProfile for user bob: no answer within 30 seconds.',
    });
    expect(iam.calls).toEqual([]);
    expect(await iam.getLoginProfile('bob')).not.toBeNull();
  });

  it.each([
    ['getUser', (iam: InMemoryIam, signal: AbortSignal) => iam.getUser('bob', { signal }), 'iam:GetUser'],
    [
      'getLoginProfile',
      (iam: InMemoryIam, signal: AbortSignal) => iam.getLoginProfile('bob', { signal }),
      'iam:GetLoginProfile',
    ],
    [
      'listMfaDevices',
      (iam: InMemoryIam, signal: AbortSignal) => iam.listMfaDevices('bob', { signal }),
      'iam:ListMFADevices',
    ],
    [
      'listUserTags',
      (iam: InMemoryIam, signal: AbortSignal) => iam.listUserTags('bob', { signal }),
      'iam:ListUserTags',
    ],
  ])('stops waiting for a held %s when the signal aborts', async (_name, call, action) => {
    const { iam } = held();
    const controller = new AbortController();
    const answer = call(iam, controller.signal).catch((e: unknown) => e);
    await settle();
    controller.abort(new Error('no answer within 30 seconds'));
    expect(await answer).toMatchObject({
      code: 'iam_timeout',
      message: expect.stringContaining(`${action} for user bob`),
    });
  });

  it('abandons a held DeleteLoginProfile at once, but IAM still carries it out when it is released', async () => {
    const { iam, release } = held();
    const controller = new AbortController();
    const removal = iam.deleteLoginProfile('bob', { signal: controller.signal }).catch((e: unknown) => e);
    await settle();
    controller.abort(new Error('no answer within 30 seconds'));
    expect(await removal).toMatchObject({ code: 'iam_timeout' });
    expect(iam.calls).toEqual([]);

    release.open();
    await settle();
    expect(iam.calls).toEqual([{ operation: 'deleteLoginProfile', userName: 'bob' }]);
    expect(await iam.getLoginProfile('bob')).toBeNull();
  });
});

describe('InMemoryIam setTag and recreated users', () => {
  it('adds or replaces one tag and keeps the others', async () => {
    const { iam } = setup();
    iam.setTag('alice', 'mfa-exempt', 'break-glass');
    iam.setTag('ALICE', 'team', 'b');
    iam.setTag('bob', '__proto__', 'odd but legal');

    expect(await iam.listUserTags('alice')).toEqual({ team: 'b', 'mfa-exempt': 'break-glass' });
    const bobTags = await iam.listUserTags('bob');
    expect(Object.keys(bobTags)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(bobTags)).toBe(Object.prototype);
    expect(await iam.getLoginProfile('alice')).not.toBeNull();
  });

  it('refuses to tag an unknown user', () => {
    const { iam } = setup();
    expect(() => iam.setTag('nobody', 'mfa-exempt', 'x')).toThrow(
      expect.objectContaining({ name: 'AppError', code: 'iam_no_such_entity' }),
    );
  });

  it('recreates a user under the same name with a new UserId and its own password and tags', async () => {
    const { iam } = setup();
    const before = await iam.getUser('bob');
    iam.removeUser('bob');
    iam.addUser(user('bob', { userId: 'AIDABOBRECREATED00000', loginProfile: false, tags: { team: 'new' } }));

    const after = await iam.getUser('bob');
    expect(before?.userId).toBe('AIDABOB00000000000000');
    expect(after?.userId).toBe('AIDABOBRECREATED00000');
    expect(await iam.getLoginProfile('bob')).toBeNull();
    expect(await iam.deleteLoginProfile('bob')).toBe('not_found');
    expect(await iam.listUserTags('bob')).toEqual({ team: 'new' });
  });
});
