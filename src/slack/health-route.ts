import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunRecord, ScanSummaryRecord } from '../domain/scan';

/** The last run: no account id, no error text (/healthz is unsigned; whoever reaches it learns nothing about AWS). */
export interface LastScanHealth {
  readonly finishedAt: string;
  /** `completed` when at least one account completed, even if others failed. */
  readonly outcome: 'completed' | 'failed';
  readonly startedAt: string;
  readonly accountsScanned: number;
  readonly accountsFailed: number;
}

export interface HealthReport {
  readonly status: 'ok';
  readonly scanning: boolean;
  readonly lastScan: LastScanHealth | null;
  readonly nextScheduledRun: string | null;
}

/**
 * The last run as /healthz tells it; `scan`, the last scan row, stands in for a database whose
 * scans all predate runs (schema v6).
 */
export const lastScanHealth = (run: RunRecord | null, scan: ScanSummaryRecord | null): LastScanHealth | null => {
  if (run !== null) {
    return {
      finishedAt: run.finishedAt.toISOString(),
      outcome: run.outcome,
      startedAt: run.startedAt.toISOString(),
      accountsScanned: run.accountsTotal - run.accountsFailed,
      accountsFailed: run.accountsFailed,
    };
  }
  if (scan === null) return null;
  return {
    finishedAt: scan.finishedAt.toISOString(),
    outcome: scan.outcome,
    startedAt: scan.startedAt.toISOString(),
    accountsScanned: scan.outcome === 'completed' ? 1 : 0,
    accountsFailed: scan.outcome === 'completed' ? 0 : 1,
  };
};

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
