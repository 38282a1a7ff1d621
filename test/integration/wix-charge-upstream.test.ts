/**
 * The Wix implementation of the charge port classifies every upstream answer: a canned HTTP
 * server on loopback plays Wix's statuses and error bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamCall } from '../../src/charges/charge-upstream';
import { toGuid } from '../../src/domain/guid';
import { WixChargeUpstream } from '../../src/wix/wix-charge-upstream';
import { WixClient } from '../../src/wix/wix-client';

const KEY = toGuid('5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

let server: Server;
let answer: Answer;
const bodies: string[] = [];
let upstream: WixChargeUpstream;
let client: WixClient;

const call = (): UpstreamCall => ({
  credentials: { authorization: 'k', accountId: 'a' },
  signal: AbortSignal.timeout(5_000),
});
const appError = (code: string, data: Record<string, unknown> = {}) => ({
  message: code,
  details: { applicationError: { code, description: code, data } },
});
const wixTx = (key: string = KEY) => ({
  id: '7d1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  amount: { credits: '2' },
  idempotencyKey: key,
});

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new WixClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attemptTimeoutMs: 2_000,
  });
  upstream = new WixChargeUpstream(client);
});

afterAll(async () => {
  await client.close();
  await new Promise((resolve) => server.close(resolve));
});

const send = () => upstream.send(call(), upstream.prepare({ credits: 2, idempotencyKey: KEY }));

describe('WixChargeUpstream', () => {
  it('a 2xx charge is charged, and every send of one prepared charge carries the same bytes', async () => {
    answer = { status: 200, body: { creditTransaction: wixTx() } };
    const prepared = upstream.prepare({ credits: 2, idempotencyKey: KEY, metadata: { b: 1, a: 2 } });
    bodies.length = 0;
    await expect(upstream.send(call(), prepared)).resolves.toMatchObject({
      kind: 'charged',
      transaction: { idempotencyKey: KEY },
    });
    await upstream.send(call(), prepared);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
  });

  it('428 INSUFFICIENT_CREDITS is insufficient, with the numbers Wix sent (as strings or numbers)', async () => {
    answer = { status: 428, body: appError('INSUFFICIENT_CREDITS', { requiredCredits: '2', availableCredits: 0.5 }) };
    await expect(send()).resolves.toEqual({ kind: 'insufficient', requiredCredits: 2, availableCredits: 0.5 });
  });

  it('409 IDEMPOTENCY_KEY_REUSED is keyReused; another 409 is a retryable refusal with no effect', async () => {
    answer = { status: 409, body: appError('IDEMPOTENCY_KEY_REUSED') };
    await expect(send()).resolves.toEqual({ kind: 'keyReused' });
    answer = { status: 409, body: appError('ABORTED') };
    await expect(send()).resolves.toMatchObject({ kind: 'refusedNoEffect', failure: { retryable: true } });
  });

  it('429 is a retryable refusal carrying Retry-After in ms', async () => {
    answer = { status: 429, body: appError('RESOURCE_EXHAUSTED'), headers: { 'retry-after': '2' } };
    await expect(send()).resolves.toMatchObject({
      kind: 'refusedNoEffect',
      failure: { retryable: true, retryAfterMs: 2_000 },
    });
  });

  it('a 503 leaves the fate unknown (retryable); a 501 leaves it unknown (not retryable)', async () => {
    answer = { status: 503, body: appError('UNAVAILABLE') };
    await expect(send()).resolves.toMatchObject({ kind: 'fateUnknown', failure: { retryable: true } });
    answer = { status: 501, body: appError('UNIMPLEMENTED') };
    await expect(send()).resolves.toMatchObject({ kind: 'fateUnknown', failure: { retryable: false } });
  });

  it('401 is a final refusal with no effect', async () => {
    answer = { status: 401, body: appError('UNAUTHENTICATED') };
    await expect(send()).resolves.toMatchObject({
      kind: 'refusedNoEffect',
      failure: { retryable: false, error: { status: 401 } },
    });
  });

  it('a refused connection took no effect and may be retried', async () => {
    const nowhere = new WixClient({ baseUrl: 'http://127.0.0.1:1', attemptTimeoutMs: 1_000 });
    const closed = new WixChargeUpstream(nowhere);
    await expect(closed.send(call(), closed.prepare({ credits: 2, idempotencyKey: KEY }))).resolves.toMatchObject({
      kind: 'refusedNoEffect',
      failure: { retryable: true },
    });
    await nowhere.close();
  });

  it('a lookup finds the transaction under the key, or nothing; another key is a (retryable) failure, never a match', async () => {
    answer = { status: 200, body: { creditTransactions: [wixTx()], pagingMetadata: { count: 1 } } };
    await expect(upstream.lookUp(call(), KEY)).resolves.toMatchObject({
      kind: 'found',
      transaction: { idempotencyKey: KEY },
    });
    answer = { status: 200, body: { creditTransactions: [], pagingMetadata: { count: 0 } } };
    await expect(upstream.lookUp(call(), KEY)).resolves.toEqual({ kind: 'notFound' });
    answer = {
      status: 200,
      body: { creditTransactions: [wixTx('00000000-0000-4000-8000-000000000000')], pagingMetadata: { count: 1 } },
    };
    await expect(upstream.lookUp(call(), KEY)).resolves.toMatchObject({
      kind: 'failed',
      failure: { retryable: true, error: { message: /another key/ } },
    });
  });
});
