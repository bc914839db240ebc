/**
 * What a person should do about one IAM user with a console password and no MFA. Wording follows
 * Panther's "AWS IAM User Has MFA Enabled" policy, with its CLI corrected: the real flags are
 * `--authentication-code1/2` (the policy's `--authentication-code-1` fails), and every command is
 * quoted so it can be pasted into bash or zsh as printed, typing in only the two MFA codes.
 */
import { defaultRegionFor, userSecurityCredentialsUrl, virtualMfaSerial } from './partition';
import { cliOption } from './shell';
import type { Partition } from './types';

export interface RemediationInput {
  readonly accountId: string;
  readonly partition: Partition;
  readonly userName: string;
}

export interface Remediation {
  readonly title: string;
  readonly risk: string;
  readonly whyItMatters: string;
  readonly removeConsoleAccess: { readonly summary: string; readonly command: string };
  readonly enableMfa: {
    readonly consoleUrl: string;
    readonly consoleSteps: readonly string[];
    /** Which credentials the CLI steps need. */
    readonly cliCredentials: string;
    readonly serialNumber: string;
    readonly createQrCode: string;
    readonly createBase32: string;
    readonly secretWarning: string;
    /** What to do when an unassigned device of that name is left over from an earlier try. */
    readonly staleDeviceNote: string;
    readonly deleteStaleDevice: string;
    readonly seedStep: string;
    readonly enable: string;
  };
}

/** Placeholders the person replaces with two consecutive codes from the MFA device. */
export const MFA_CODE_PLACEHOLDERS = ['CODE1', 'CODE2'] as const;

export function buildRemediation(input: RemediationInput): Remediation {
  const { accountId, partition, userName } = input;
  const serialNumber = virtualMfaSerial(partition, accountId, userName);
  // Outside the commercial partition the CLI only reaches IAM with a region of that partition, and
  // a person's default region is often a commercial one.
  const region = partition === 'aws' ? [] : [cliOption('region', defaultRegionFor(partition))];
  const command = (...parts: string[]): string => [...parts, ...region].join(' ');
  const createDevice = (extension: string, method: string): string =>
    command(
      'aws iam create-virtual-mfa-device',
      cliOption('virtual-mfa-device-name', userName),
      // Built from the raw name, then quoted whole; the `./` prefix also keeps a leading `-` from reading as an option.
      cliOption('outfile', `./${userName}-mfa.${extension}`),
      cliOption('bootstrap-method', method),
    );

  return {
    title: 'AWS IAM user has console access without MFA',
    risk: 'High risk, medium remediation effort: every IAM user who can sign in to the AWS Console should have multi-factor authentication (MFA) enabled.',
    whyItMatters:
      `${userName} can sign in to the AWS Console with a password alone. MFA adds a second factor to the login: ` +
      'if the password is leaked, an attacker still cannot sign in without the one-time code from the MFA device.',
    removeConsoleAccess: {
      summary: `If ${userName} does not need the AWS Console, delete the console password (login profile). Access keys keep working.`,
      command: command('aws iam delete-login-profile', cliOption('user-name', userName)),
    },
    enableMfa: {
      consoleUrl: userSecurityCredentialsUrl(partition, userName),
      consoleSteps: [
        `Open the user's "Security credentials" tab in the IAM console (link above), signed in to account ${accountId}.`,
        'In "Multi-factor authentication (MFA)", choose "Assign MFA device".',
        'Follow the steps in the dialog to finish configuring the MFA device.',
      ],
      cliCredentials: `Run these with AWS credentials for account ${accountId} that are allowed to manage this user's MFA.`,
      serialNumber,
      createQrCode: createDevice('png', 'QRCodePNG'),
      createBase32: createDevice('txt', 'Base32StringSeed'),
      secretWarning:
        'The output file holds the MFA secret: anyone who has it can generate codes. Store it like a password and delete it once the device is seeded.',
      staleDeviceNote:
        'If IAM answers EntityAlreadyExists, an unassigned device with this name is left over from an earlier try: delete it, then create it again.',
      deleteStaleDevice: command('aws iam delete-virtual-mfa-device', cliOption('serial-number', serialNumber)),
      seedStep:
        'Seed the virtual MFA app: scan the QR code in the .png file, or type the Base32 key from the .txt file. ' +
        'Then read two consecutive codes from the app and right away (the codes expire quickly) run the next command with CODE1 and CODE2 replaced by them.',
      enable: command(
        'aws iam enable-mfa-device',
        cliOption('user-name', userName),
        cliOption('serial-number', serialNumber),
        `--authentication-code1 ${MFA_CODE_PLACEHOLDERS[0]}`,
        `--authentication-code2 ${MFA_CODE_PLACEHOLDERS[1]}`,
      ),
    },
  };
}

/** Plain text for a terminal; each command sits alone on its own line so it can be copied whole. */
export function renderRemediationText(r: Remediation): string {
  const m = r.enableMfa;
  return [
    r.title,
    '',
    `Risk: ${r.risk}`,
    r.whyItMatters,
    '',
    'Fix it one of two ways.',
    '',
    `Option 1: remove console access. ${r.removeConsoleAccess.summary}`,
    '',
    `    ${r.removeConsoleAccess.command}`,
    '',
    'Option 2: enable MFA.',
    '',
    `  In the console: ${m.consoleUrl}`,
    ...m.consoleSteps.map((step, i) => `    ${i + 1}. ${step}`),
    '',
    `  With the AWS CLI. ${m.cliCredentials}`,
    '    1. Create a virtual MFA device with a QR code:',
    '',
    `    ${m.createQrCode}`,
    '',
    '       or with a Base32 key instead:',
    '',
    `    ${m.createBase32}`,
    '',
    `       ${m.secretWarning}`,
    `       ${m.staleDeviceNote}`,
    '',
    `    ${m.deleteStaleDevice}`,
    '',
    `    2. ${m.seedStep}`,
    `    3. Enable the device (serial number ${m.serialNumber}):`,
    '',
    `    ${m.enable}`,
    '',
  ].join('\n');
}
