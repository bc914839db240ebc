import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthReport {
  readonly status: 'ok';
  readonly scanning: boolean;
  /** No account id: /healthz is unsigned, and anyone who can reach it must learn nothing about AWS. */
  readonly lastScan: { readonly finishedAt: string; readonly outcome: 'completed' | 'failed' } | null;
  readonly nextScheduledRun: string | null;
}

export const HEALTH_PATH = '/healthz';

/** Answers GET /healthz. Never throws: a health check that crashes is worse than one that says less. */
export const respondHealth = async (report: () => Promise<HealthReport>, res: ServerResponse): Promise<void> => {
  let body: string;
  try {
    body = JSON.stringify(await report());
  } catch {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'error' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
};

/**
 * In Socket Mode nothing else listens on PORT, so /healthz gets its own small server (Bolt's
 * Socket Mode HTTP server would crash the process on a port already in use instead of failing start).
 */
export const startHealthServer = (report: () => Promise<HealthReport>, port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && path === HEALTH_PATH) {
        void respondHealth(report, res);
        return;
      }
      res.writeHead(404);
      res.end();
    });
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });

export const listeningPort = (server: Server): number => {
  const address = server.address();
  return address !== null && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
};
