/**
 * The fake AWS endpoint's throttling (what `npm run bench` runs against) answers as IAM does, so
 * that the real SDK classifies it as throttling and retries it (adaptive mode), and the gateway
 * maps what is left to iam_throttled, which the scan's own waits (retryWhenThrottled) act on.
 * A bucket that never refills keeps this free of timing.
 */
import { createAwsClients, createAwsIamGateway } from '../../../src/adapters/aws/iam-gateway';
import { type FakeAws, startFakeAws } from '../../support/fake-aws-http';
import { appErrorOf } from './mocked-gateway';

const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'very-secret-test-value-0123456789' };
const NEVER_REFILLS = { ratePerSecond: 1e-9, burst: 2 };

const gatewayTo = (aws: FakeAws, maxAttempts: number) =>
  createAwsIamGateway(
    createAwsClients({ region: 'us-east-1', iamEndpoint: aws.url, stsEndpoint: aws.url, maxAttempts, credentials }),
  );

describe('the fake AWS endpoint throttling an account', () => {
  let aws: FakeAws;
  beforeEach(async () => {
    aws = await startFakeAws([{ name: 'alice', created: '2024-01-01T00:00:00Z', password: true, mfa: 1 }], {
      throttle: NEVER_REFILLS,
    });
  });
  afterEach(() => aws.close());

  it('answers IAM calls past the burst with Throttling, which the SDK retries and the gateway maps to iam_throttled', async () => {
    const iam = gatewayTo(aws, 2);
    await expect(iam.listAccountAliases()).resolves.toEqual(['acme-staging']);
    await expect(iam.getLoginProfile('alice')).resolves.not.toBeNull();
    const error = await appErrorOf(iam.listMfaDevices('alice'));
    expect(error.code).toBe('iam_throttled');
    // The SDK made both attempts: it took Throttling for throttling, not for a final error.
    expect(aws.calls.filter((c) => c.action === 'ListMFADevices').map((c) => c.throttled === true)).toEqual([
      true,
      true,
    ]);
  });

  it('never throttles STS: GetCallerIdentity is not IAM quota', async () => {
    const iam = gatewayTo(aws, 1);
    for (let i = 0; i < 4; i += 1)
      await expect(iam.getCallerIdentity()).resolves.toMatchObject({ accountId: '210987654321' });
    expect(aws.calls.some((c) => c.throttled === true)).toBe(false);
  });
});

describe('the fake AWS endpoint for the bench', () => {
  it('pages ListUsers as IAM does and tells the truth about MFA in the report when asked', async () => {
    const users = Array.from({ length: 2500 }, (_, i) => ({
      name: `u${i}`,
      created: '2024-01-01T00:00:00Z',
      password: true,
      mfa: i % 2,
    }));
    const aws = await startFakeAws(users, { reportShowsMfa: true });
    try {
      const iam = gatewayTo(aws, 1);
      expect(await iam.listUsers()).toHaveLength(2500);
      expect(aws.actions.filter((a) => a === 'ListUsers')).toHaveLength(3);
      expect(await iam.generateCredentialReport()).toBe('COMPLETE');
      const { content } = await iam.getCredentialReport();
      expect(content.split('\n').filter((line) => line.endsWith(',true'))).toHaveLength(1 + 1250);
    } finally {
      await aws.close();
    }
  });
});
