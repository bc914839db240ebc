/**
 * No mocks: a real SDK client talks HTTP to a local IAM stand-in that never answers. A signal that
 * aborts ends the call at once with an `iam_timeout` AppError, and the SDK closes the request: a
 * removal's deadline does not leave a connection hanging behind it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAwsClients, createAwsIamGateway } from '../../../src/adapters/aws/iam-gateway';
import { appErrorOf } from './mocked-gateway';

const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'not-a-real-secret' };

/** An IAM endpoint that reads each request and never answers; says when a request arrives and when it is closed. */
const startSilentIam = async () => {
  const arrived: string[] = [];
  let onArrive: () => void = () => undefined;
  let onClose: () => void = () => undefined;
  const arrivedOnce = new Promise<void>((resolve) => (onArrive = resolve));
  const closedOnce = new Promise<void>((resolve) => (onClose = resolve));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrived.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('Action') ?? '?');
      onArrive();
    });
    res.on('close', () => onClose());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const { port }: AddressInfo = address;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    arrivedOnce,
    closedOnce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

describe('a removal’s deadline over real HTTP', () => {
  it('ends a DeleteLoginProfile that gets no answer, and the SDK closes its request', async () => {
    const iam = await startSilentIam();
    const clients = createAwsClients({ region: 'us-east-1', iamEndpoint: iam.url, maxAttempts: 1, credentials });
    try {
      const controller = new AbortController();
      const call = appErrorOf(createAwsIamGateway(clients).deleteLoginProfile('alice', { signal: controller.signal }));
      await iam.arrivedOnce;
      controller.abort(new Error('no answer within 30 seconds'));

      const error = await call;
      expect(error.code).toBe('iam_timeout');
      expect(error.message).toBe(
        'mfa-guard stopped waiting for iam:DeleteLoginProfile for user alice: no answer within 30 seconds.',
      );
      // Resolves only once the client side has gone: the SDK cut the connection itself.
      await iam.closedOnce;
      expect(iam.arrived).toEqual(['DeleteLoginProfile']);
    } finally {
      clients.iam.destroy();
      clients.sts.destroy();
      await iam.close();
    }
  });
});
