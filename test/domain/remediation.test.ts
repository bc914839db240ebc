import { buildRemediation, renderRemediationText } from '../../src/domain/remediation';
import type { Partition } from '../../src/domain/types';
import { argvInShell, availableShells } from './shell-harness';

const SHELLS = availableShells();
const ACCOUNT = '123456789012';

// IAM allows [A-Za-z0-9+=,.@_-]; these exercise every character a shell or the AWS CLI could trip on.
const NAMES = ['alice', 'a.b@example.com', 'svc+ci', '=weird', '-dash', 'x,y', 'A_b=c,d.e@f-g+h'];

const REGION: Record<Partition, string[]> = {
  aws: [],
  'aws-us-gov': ['--region', 'us-gov-west-1'],
  'aws-cn': ['--region', 'cn-north-1'],
};

const expectedArgv = (userName: string, partition: Partition) => {
  const serial = `arn:${partition}:iam::${ACCOUNT}:mfa/${userName}`;
  const region = REGION[partition];
  const opt = (flag: string, value: string): string[] =>
    value.startsWith('-') ? [`--${flag}=${value}`] : [`--${flag}`, value];
  const create = (ext: string, method: string): string[] => [
    'aws',
    'iam',
    'create-virtual-mfa-device',
    ...opt('virtual-mfa-device-name', userName),
    '--outfile',
    `./${userName}-mfa.${ext}`,
    '--bootstrap-method',
    method,
    ...region,
  ];
  return {
    serial,
    removeConsoleAccess: ['aws', 'iam', 'delete-login-profile', ...opt('user-name', userName), ...region],
    deleteStaleDevice: ['aws', 'iam', 'delete-virtual-mfa-device', '--serial-number', serial, ...region],
    createQrCode: create('png', 'QRCodePNG'),
    createBase32: create('txt', 'Base32StringSeed'),
    enable: [
      'aws',
      'iam',
      'enable-mfa-device',
      ...opt('user-name', userName),
      '--serial-number',
      serial,
      '--authentication-code1',
      'CODE1',
      '--authentication-code2',
      'CODE2',
      ...region,
    ],
  };
};

const commandsOf = (userName: string, partition: Partition = 'aws') => {
  const r = buildRemediation({ accountId: ACCOUNT, partition, userName });
  return {
    removeConsoleAccess: r.removeConsoleAccess.command,
    createQrCode: r.enableMfa.createQrCode,
    createBase32: r.enableMfa.createBase32,
    deleteStaleDevice: r.enableMfa.deleteStaleDevice,
    enable: r.enableMfa.enable,
  };
};

describe('buildRemediation', () => {
  it('describes the risk and the fix from the policy', () => {
    const r = buildRemediation({ accountId: ACCOUNT, partition: 'aws', userName: 'alice' });
    expect(r.title).toBe('AWS IAM user has console access without MFA');
    expect(r.risk).toMatch(/^High risk, medium remediation effort/);
    expect(r.whyItMatters).toContain('password is leaked');
    expect(r.removeConsoleAccess.command).toBe('aws iam delete-login-profile --user-name alice');
    expect(r.enableMfa.consoleUrl).toBe(
      'https://console.aws.amazon.com/iam/home#/users/details/alice?section=security_credentials',
    );
    expect(r.enableMfa.consoleSteps.length).toBeGreaterThanOrEqual(3);
    expect(r.enableMfa.cliCredentials).toContain('account 123456789012');
    expect(r.enableMfa.serialNumber).toBe('arn:aws:iam::123456789012:mfa/alice');
    expect(r.enableMfa.createQrCode).toBe(
      'aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --outfile ./alice-mfa.png --bootstrap-method QRCodePNG',
    );
    expect(r.enableMfa.createBase32).toBe(
      'aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --outfile ./alice-mfa.txt --bootstrap-method Base32StringSeed',
    );
    expect(r.enableMfa.secretWarning).toMatch(/secret.*password.*delete/i);
    expect(r.enableMfa.enable).toBe(
      'aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::123456789012:mfa/alice --authentication-code1 CODE1 --authentication-code2 CODE2',
    );
  });

  it.each<[Partition, string, string]>([
    ['aws', 'arn:aws:iam::123456789012:mfa/bob', 'https://console.aws.amazon.com/'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::123456789012:mfa/bob', 'https://console.amazonaws-us-gov.com/'],
    ['aws-cn', 'arn:aws-cn:iam::123456789012:mfa/bob', 'https://console.amazonaws.cn/'],
  ])('uses the %s partition for the serial number and console link', (partition, serial, consolePrefix) => {
    const r = buildRemediation({ accountId: ACCOUNT, partition, userName: 'bob' });
    expect(r.enableMfa.serialNumber).toBe(serial);
    expect(r.enableMfa.enable).toContain(`--serial-number ${serial} `);
    expect(r.enableMfa.enable.endsWith(REGION[partition].join(' '))).toBe(true);
    expect(r.enableMfa.consoleUrl.startsWith(consolePrefix)).toBe(true);
  });

  it('encodes the user name in the console link', () => {
    const r = buildRemediation({ accountId: ACCOUNT, partition: 'aws', userName: 'a+b=c,d@e' });
    expect(r.enableMfa.consoleUrl).toContain('/users/details/a%2Bb%3Dc%2Cd%40e?');
  });

  it.each(NAMES)('never prints the wrong MFA code flags (%j)', (userName) => {
    const all = [
      ...Object.values(commandsOf(userName)),
      renderRemediationText(buildRemediation({ accountId: ACCOUNT, partition: 'aws', userName })),
    ];
    for (const text of all) {
      expect(text).not.toContain('--authentication-code-1');
      expect(text).not.toContain('--authentication-code-2');
    }
  });

  it('found a shell to test with', () => {
    expect(SHELLS).toContain('bash');
  });

  describe.each(SHELLS)('commands run as printed in %s', (shell) => {
    it.each(NAMES)('%j', (userName) => {
      const commands = commandsOf(userName);
      const expected = expectedArgv(userName, 'aws');
      expect(argvInShell(shell, commands.removeConsoleAccess)).toEqual(expected.removeConsoleAccess);
      expect(argvInShell(shell, commands.createQrCode)).toEqual(expected.createQrCode);
      expect(argvInShell(shell, commands.createBase32)).toEqual(expected.createBase32);
      expect(argvInShell(shell, commands.deleteStaleDevice)).toEqual(expected.deleteStaleDevice);
      expect(argvInShell(shell, commands.enable)).toEqual(expected.enable);
    });

    it.each<Partition>(['aws-us-gov', 'aws-cn'])('in the %s partition too, with its region', (partition) => {
      const commands = commandsOf('x,y', partition);
      const expected = expectedArgv('x,y', partition);
      expect(argvInShell(shell, commands.removeConsoleAccess)).toEqual(expected.removeConsoleAccess);
      expect(argvInShell(shell, commands.createQrCode)).toEqual(expected.createQrCode);
      expect(argvInShell(shell, commands.deleteStaleDevice)).toEqual(expected.deleteStaleDevice);
      expect(argvInShell(shell, commands.enable)).toEqual(expected.enable);
    });
  });
});

describe('renderRemediationText', () => {
  it.each(NAMES)('puts every command on its own line (%j)', (userName) => {
    const r = buildRemediation({ accountId: ACCOUNT, partition: 'aws', userName });
    const lines = renderRemediationText(r)
      .split('\n')
      .map((l) => l.trim());
    for (const command of Object.values(commandsOf(userName))) {
      expect(lines).toContain(command);
    }
  });

  it('includes the explanation, the console link and the secret warning', () => {
    const r = buildRemediation({ accountId: ACCOUNT, partition: 'aws', userName: 'alice' });
    const text = renderRemediationText(r);
    for (const part of [
      r.title,
      r.risk,
      r.whyItMatters,
      r.removeConsoleAccess.summary,
      r.enableMfa.consoleUrl,
      r.enableMfa.secretWarning,
      r.enableMfa.cliCredentials,
      r.enableMfa.staleDeviceNote,
      r.enableMfa.seedStep,
      ...r.enableMfa.consoleSteps,
    ]) {
      expect(text).toContain(part);
    }
  });
});
