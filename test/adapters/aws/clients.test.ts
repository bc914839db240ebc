import { createAwsClients } from '../../../src/adapters/aws/iam-gateway';

const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'not-a-real-secret' };

const resolveRetryMode = async (mode: string | (() => Promise<string>)): Promise<string> =>
  typeof mode === 'function' ? mode() : mode;

describe('createAwsClients', () => {
  it('points IAM and STS at their own configured endpoints', async () => {
    const { iam, sts } = createAwsClients({
      region: 'us-east-1',
      iamEndpoint: 'http://127.0.0.1:4566',
      stsEndpoint: 'https://sts.example.test:8443/base',
      maxAttempts: 7,
      credentials,
    });

    expect(iam.config.endpoint).toBeDefined();
    expect(sts.config.endpoint).toBeDefined();
    await expect(iam.config.endpoint?.()).resolves.toMatchObject({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
    });
    await expect(sts.config.endpoint?.()).resolves.toMatchObject({
      protocol: 'https:',
      hostname: 'sts.example.test',
      port: 8443,
      path: '/base',
    });
  });

  it.each([
    ['iam', 'us-east-1'],
    ['sts', 'us-gov-west-1'],
  ] as const)('configures %s with the region, maxAttempts and adaptive retries', async (which, region) => {
    const clients = createAwsClients({ region, maxAttempts: 9, credentials });
    const client = clients[which];

    await expect(client.config.region()).resolves.toBe(region);
    await expect(client.config.maxAttempts()).resolves.toBe(9);
    await expect(resolveRetryMode(client.config.retryMode)).resolves.toBe('adaptive');
    const strategy = await client.config.retryStrategy();
    expect('mode' in strategy ? strategy.mode : undefined).toBe('adaptive');
  });

  it.each([
    ['not given', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('leaves the endpoint to the SDK when the override is %s', (_label, endpoint) => {
    const { iam, sts } = createAwsClients({
      region: 'us-east-1',
      iamEndpoint: endpoint,
      stsEndpoint: endpoint,
      maxAttempts: 3,
      credentials,
    });
    expect(iam.config.endpoint).toBeUndefined();
    expect(sts.config.endpoint).toBeUndefined();
  });
});
