/**
 * Benchmark child: the baseline. A minimal node:http server that, per POST, makes the same
 * upstream call the gateway makes (same headers, same body, keep-alive undici Pool) and answers
 * with the same JSON the gateway would, with no GraphQL, validation, loaders or plugins at all.
 *   POST /graphql  → POST {base}/…/credit-transactions/balance
 *                    → {"data":{"creditBalance":{"availableCredits":<periodic + topUp>}}}
 *   POST /lookup   → POST {base}/…/credit-transactions/query  (id $in BENCH_LOOKUP_IDS)
 *                    → {"data":{"t0":{"id","amount":{"credits"}}, …}}
 * Environment: BENCH_UPSTREAM_URL, BENCH_API_KEY, BENCH_ACCOUNT_ID, BENCH_LOOKUP_IDS (comma-separated).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import {
  CREDIT_TRANSACTIONS_PATH,
  type WixGetBalanceResponse,
  type WixQueryRequest,
  type WixQueryResponse,
} from '../src/wix/wix-json';
import { serveChild } from './ipc';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

serveChild<{ url: string }>(async () => {
  const base = new URL(required('BENCH_UPSTREAM_URL'));
  const prefix = base.pathname.replace(/\/+$/, '') + CREDIT_TRANSACTIONS_PATH;
  const headers = {
    authorization: required('BENCH_API_KEY'),
    'wix-account-id': required('BENCH_ACCOUNT_ID'),
    accept: 'application/json',
    'content-type': 'application/json',
  };
  const lookupIds = (process.env.BENCH_LOOKUP_IDS ?? '').split(',').filter(Boolean);
  const lookupBody: WixQueryRequest = {
    query: {
      filter: { id: { $in: lookupIds } },
      sort: [{ fieldName: 'createdDate', order: 'DESC' }],
      cursorPaging: { limit: 100 },
    },
  };
  const lookupText = JSON.stringify(lookupBody);
  // The gateway's WixHttp uses the same Pool settings.
  const pool = new Pool(base.origin, { connections: 64, keepAliveTimeout: 30_000, pipelining: 1 });

  async function upstream(path: string, body: string): Promise<unknown> {
    const res = await pool.request({ method: 'POST', path: prefix + path, headers, body });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`upstream answered ${res.statusCode}`);
    return JSON.parse(text) as unknown;
  }

  async function answer(req: IncomingMessage): Promise<unknown> {
    if (req.url === '/lookup') {
      const json = (await upstream('/query', lookupText)) as WixQueryResponse;
      const byId = new Map((json.creditTransactions ?? []).map((tx) => [tx.id, tx]));
      const data: Record<string, unknown> = {};
      lookupIds.forEach((id, i) => {
        const tx = byId.get(id);
        data[`t${i}`] = tx ? { id: tx.id, amount: { credits: Number(tx.amount?.credits ?? 0) } } : null;
      });
      return { data };
    }
    const json = (await upstream('/balance', '{}')) as WixGetBalanceResponse;
    const available = Number(json.periodicCredits?.balance ?? 0) + Number(json.topUpCredits?.balance ?? 0);
    return { data: { creditBalance: { availableCredits: available } } };
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  const server = createServer((req, res) => {
    if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'POST only' }] });
    // Read (and drop) the request body, as any real server must.
    req.on('data', () => undefined);
    req.on('error', () => undefined);
    req.on('end', () => {
      answer(req).then(
        (body) => send(res, 200, body),
        (error: unknown) => send(res, 502, { errors: [{ message: String(error) }] }),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    info: { url: `http://127.0.0.1:${port}` },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.close();
    },
  };
});
