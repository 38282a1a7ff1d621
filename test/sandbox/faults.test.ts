import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { type Sandbox, startSandbox } from '../../src/sandbox';
import { REQUEST_LOG_LIMIT, RequestLog } from '../../src/sandbox/request-log';
import { delay, LOAD_HEADROOM_MS, timed, waitUntil } from '../support/time';
import { call, chargeBody, makeAgent } from './helpers';

let sb: Sandbox;
let agent: Agent;

beforeAll(async () => {
  sb = await startSandbox({ historySize: 20 });
  agent = makeAgent();
});
afterEach(() => {
  sb.faults.clear();
  sb.counters.reset();
});
afterAll(async () => {
  await agent.close();
  await sb.close();
});

const balance = () => call(agent, sb.url, sb.demo, '/balance');

describe('status faults', () => {
  test('a 503 rule with probability 0.3 fails about 30% of calls, identically for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      sb.faults.clear();
      sb.faults.seed(1234);
      sb.faults.add({ kind: 'status503', probability: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await balance()).status);
      return statuses;
    };
    const first = await run();
    const share = first.filter((s) => s === 503).length / first.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(first.every((s) => s === 200 || s === 503)).toBe(true);
    expect(await run()).toEqual(first);
  });

  test('each status kind answers with its status; 502 and 504 have empty bodies', async () => {
    for (const [kind, status] of [
      ['status500', 500],
      ['status502', 502],
      ['status503', 503],
      ['status504', 504],
    ] as const) {
      sb.faults.clear();
      sb.faults.add({ kind });
      const r = await balance();
      expect(r.status).toBe(status);
      expect(r.headers['x-wix-request-id']).toEqual(expect.any(String));
      if (status === 502 || status === 504) expect(r.text).toBe('');
      else expect(r.json.details.applicationError.code).toEqual(expect.any(String));
    }
  });

  test('a 429 rule sets Retry-After', async () => {
    sb.faults.add({ kind: 'status429', retryAfterSeconds: 7, times: 1 });
    const r = await balance();
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('7');
    expect((await balance()).status).toBe(200);
  });

  test('`times` limits how often a rule fires, then later rules and normal handling apply', async () => {
    sb.faults.add({ kind: 'status500', times: 2 });
    sb.faults.add({ kind: 'status502', times: 1 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await balance()).status);
    expect(statuses).toEqual([500, 500, 502, 200, 200]);
  });

  test('rules apply only to their routes', async () => {
    sb.faults.add({ kind: 'status503', routes: ['charge'] });
    expect((await balance()).status).toBe(200);
    const acct = sb.createAccount({ periodic: 5 });
    const r = await call(agent, sb.url, acct, '/charge', { body: chargeBody(1) });
    expect(r.status).toBe(503);
    expect(sb.balanceOf(acct.accountId).available).toBe('5');
  });
});

describe('connection faults', () => {
  test('resetBeforeCommit: the client sees a socket error and nothing is debited', async () => {
    const acct = sb.createAccount({ periodic: 5 });
    sb.faults.add({ kind: 'resetBeforeCommit', routes: ['charge'], times: 1 });
    await expect(call(agent, sb.url, acct, '/charge', { body: chargeBody(1) })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(sb.balanceOf(acct.accountId).available).toBe('5');
    expect(sb.transactionsOf(acct.accountId)).toHaveLength(0);
  });

  test('resetAfterCommit: the debit happens but the client sees a socket error; a retry with the same key replays it', async () => {
    const acct = sb.createAccount({ periodic: 5 });
    const body = chargeBody(2);
    sb.faults.add({ kind: 'resetAfterCommit', routes: ['charge'], times: 1 });
    await expect(call(agent, sb.url, acct, '/charge', { body })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sb.balanceOf(acct.accountId).available).toBe('3');
    const [tx] = sb.transactionsOf(acct.accountId);
    const retry = await call(agent, sb.url, acct, '/charge', { body });
    expect(retry.status).toBe(200);
    expect(retry.json.creditTransaction.id).toBe(tx.id);
    expect(sb.balanceOf(acct.accountId).available).toBe('3');
  });

  test('resetAfterCommit on a read is a plain reset', async () => {
    sb.faults.add({ kind: 'resetAfterCommit', routes: ['balance'], times: 1 });
    await expect(balance()).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await balance()).status).toBe(200);
  });

  test('hang never answers and commits nothing, and close() still returns promptly', async () => {
    const own = await startSandbox({ historySize: 0 });
    own.faults.add({ kind: 'hang' });
    const acct = own.createAccount({ periodic: 5 });
    const pending = call(agent, own.url, acct, '/charge', { body: chargeBody(1) });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await waitUntil(() => own.counters.get('charge') > 0, { what: 'the charge reaching the sandbox' });
    const raced = await Promise.race([settled, delay(150).then(() => 'still hanging')]);
    expect(raced).toBe('still hanging');
    expect(own.balanceOf(acct.accountId).available).toBe('5');

    const { ms } = await timed(() => own.close());
    expect(ms).toBeLessThan(LOAD_HEADROOM_MS);
    expect(await settled).toBe('failed');
  });
});

describe('latency', () => {
  test('setLatency delays only the named routes, and clear() removes it', async () => {
    // The injected delay is the load headroom: a delayed call takes at least that long, and a
    // call that is not delayed stays under it however busy the machine is.
    sb.faults.setLatency(LOAD_HEADROOM_MS, ['balance']);
    const delayed = await timed(() => balance());
    expect(delayed.value.status).toBe(200);
    expect(delayed.ms).toBeGreaterThanOrEqual(LOAD_HEADROOM_MS - 10);
    expect((await timed(() => call(agent, sb.url, sb.demo, `/${randomUUID()}`))).ms).toBeLessThan(LOAD_HEADROOM_MS);
    sb.faults.clear();
    expect((await timed(() => balance())).ms).toBeLessThan(LOAD_HEADROOM_MS);
  });

  test('setLatency(0) removes the delay of the named routes only', async () => {
    sb.faults.setLatency(2 * LOAD_HEADROOM_MS);
    sb.faults.setLatency(0, ['get']);
    expect((await timed(() => call(agent, sb.url, sb.demo, `/${randomUUID()}`))).ms).toBeLessThan(LOAD_HEADROOM_MS);
  });

  test('close() clears pending latency timers', async () => {
    const own = await startSandbox({ historySize: 0 });
    own.faults.setLatency(3 * LOAD_HEADROOM_MS);
    const settled = call(agent, own.url, own.demo, '/balance').then(
      () => 'answered',
      () => 'failed',
    );
    await waitUntil(() => own.counters.total() > 0, { what: 'the call reaching the sandbox' });
    const { ms } = await timed(() => own.close());
    expect(ms).toBeLessThan(LOAD_HEADROOM_MS);
    expect(await settled).toBe('failed');
  });
});

describe('counters and request log', () => {
  test('count requests per route, faulted ones included, and log them', async () => {
    const acct = sb.createAccount({ periodic: 5 });
    const body = chargeBody(1);
    sb.faults.add({ kind: 'status503', routes: ['query'], times: 1 });
    await call(agent, sb.url, acct, '/charge', { body });
    await call(agent, sb.url, acct, '/balance');
    await call(agent, sb.url, acct, '/query', { body: { query: {} } });
    await call(agent, sb.url, acct, `/${randomUUID()}`);
    await call(agent, sb.url, acct, '/nope', { method: 'POST' });

    expect(sb.counters.snapshot()).toEqual({ balance: 1, charge: 1, get: 1, query: 1 });
    expect(sb.counters.get('charge')).toBe(1);
    expect(sb.counters.total()).toBe(4);
    expect(sb.requests.map((r) => [r.route, r.method, r.fault])).toEqual([
      ['charge', 'POST', undefined],
      ['balance', 'POST', undefined],
      ['query', 'POST', 'status503'],
      ['get', 'GET', undefined],
      ['unknown', 'POST', undefined],
    ]);
    const chargeRecord = sb.requests[0];
    expect(chargeRecord.idempotencyKey).toBe(body.idempotencyKey);
    expect(JSON.parse(chargeRecord.body)).toEqual(body);
    expect(chargeRecord.path).toMatch(/\/charge$/);
    expect(chargeRecord.at).toBeLessThanOrEqual(Date.now());

    sb.counters.reset();
    expect(sb.counters.total()).toBe(0);
    expect(sb.requests).toHaveLength(0);
  });
});

describe('request log bound', () => {
  test('keeps only the last 10,000 records', () => {
    const log = new RequestLog();
    for (let i = 0; i < 25_001; i++) log.record({ route: 'get', method: 'GET', path: `/${i}`, body: '', at: i });
    expect(log.requests).toHaveLength(REQUEST_LOG_LIMIT);
    expect(log.requests[0].path).toBe('/15001');
    expect(log.requests[REQUEST_LOG_LIMIT - 1].path).toBe('/25000');
    expect(log.get('get')).toBe(25_001);
  });
});
