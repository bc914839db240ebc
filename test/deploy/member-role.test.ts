import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

// The member-account role (deploy/member-role.yaml) must grant exactly what the README's policies
// grant, the removal Deny included, and those must be exactly what the IAM gateway calls.

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly [key: string]: unknown;
}

const readmeJsonBlocks = (): unknown[] =>
  [...read('README.md').matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] ?? '') as unknown);

const statementsOf = (block: unknown): Statement[] =>
  (Array.isArray(block) ? block : ((block as { Statement?: unknown }).Statement ?? [])) as Statement[];

/** The README block holding the statement with this Sid, as a list of statements. */
const readmeStatements = (sid: string): Statement[] => {
  const block = readmeJsonBlocks().find((candidate) => statementsOf(candidate).some((s) => s.Sid === sid));
  if (block === undefined) throw new Error(`no JSON block in the README has the statement ${sid}`);
  return statementsOf(block);
};

const actionsOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

const template = parse(read('deploy/member-role.yaml')) as {
  Parameters: Record<string, { Default?: string; AllowedValues?: string[] }>;
  Conditions: Record<string, unknown>;
  Resources: {
    ScannerRole: {
      Properties: {
        AssumeRolePolicyDocument: { Statement: Statement[] };
        Policies: unknown[];
      };
    };
  };
};
const role = template.Resources.ScannerRole.Properties;

interface RemovalPolicy {
  readonly 'Fn::If': [string, { PolicyName: string; PolicyDocument: { 'Fn::Sub': string } }, unknown];
}

/** The removal policy document as CloudFormation makes it in the `aws` partition with the default tag key. */
const removalStatements = (tagKey: string): Statement[] => {
  const [, policy] = (role.Policies[1] as RemovalPolicy)['Fn::If'];
  const text = policy.PolicyDocument['Fn::Sub']
    .replaceAll('${AWS::Partition}', 'aws')
    .replaceAll('${ExemptTagKey}', tagKey);
  expect(text).not.toContain('${');
  return (JSON.parse(text) as { Statement: Statement[] }).Statement;
};

describe('deploy/member-role.yaml', () => {
  it('grants exactly the README scanning policy, read-only', () => {
    expect(role.Policies).toHaveLength(2);
    const [scan] = role.Policies as [{ PolicyDocument: { Statement: Statement[] } }];
    expect(scan.PolicyDocument.Statement).toEqual(readmeStatements('MfaGuardScan'));
    expect(
      actionsOf(scan.PolicyDocument.Statement).filter((a) => !/^(iam:(Get|List|Generate)|sts:Get)/.test(a)),
    ).toEqual([]);
  });

  it('with EnableRemoval adds exactly the README removal statements, the Deny on exempt users included', () => {
    const [condition, , otherwise] = (role.Policies[1] as RemovalPolicy)['Fn::If'];
    expect(condition).toBe('RemovalEnabled');
    expect(template.Conditions[condition]).toEqual({ 'Fn::Equals': [{ Ref: 'EnableRemoval' }, 'true'] });
    expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
    expect(template.Parameters['EnableRemoval']).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect(template.Parameters['ExemptTagKey']?.Default).toBe('mfa-exempt');

    const statements = removalStatements('mfa-exempt');
    expect(statements).toEqual(readmeStatements('MfaGuardRemoveConsolePassword'));
    expect(statements.map((s) => [s.Effect, s.Action])).toEqual([
      ['Allow', 'iam:DeleteLoginProfile'],
      ['Deny', 'iam:DeleteLoginProfile'],
    ]);
    expect(removalStatements('security:break-glass')[1]?.['Condition']).toEqual({
      Null: { 'aws:ResourceTag/security:break-glass': 'false' },
    });
  });

  it('trusts only the scanner principal, with the external id, like the README trust policy', () => {
    const [trust, ...others] = role.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    const [readme] = readmeStatements('TrustTheMfaGuardScanner') as [Statement];
    const principal = (readme['Principal'] as { AWS: string }).AWS;
    const externalId = (readme['Condition'] as { StringEquals: Record<string, string> }).StringEquals['sts:ExternalId'];
    expect(trust).toEqual({
      ...readme,
      Principal: { AWS: { Ref: 'ScannerPrincipalArn' } },
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
    });
    expect([principal, externalId]).toEqual([expect.stringMatching(/^arn:aws:iam::\d{12}:role\//), expect.any(String)]);
    expect(template.Parameters['RoleName']?.Default).toBe('mfa-guard-scanner');
  });

  it('covers every IAM and STS call the gateway makes, and nothing more', () => {
    const gateway = read('src/adapters/aws/iam-gateway.ts');
    const called = [...gateway.matchAll(/new (\w+)Command\(/g)].map(([, name]) =>
      name === 'GetCallerIdentity' ? `sts:${name}` : `iam:${name ?? ''}`,
    );
    const granted = [...actionsOf(readmeStatements('MfaGuardScan')), 'iam:DeleteLoginProfile'];
    expect(new Set(called)).toEqual(new Set(granted));
  });
});
