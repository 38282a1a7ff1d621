/**
 * REDIS_URL: the transaction cache shared by replicas. Two gateways (replicas) on one Redis and
 * one sandbox upstream; a private redis-server is started for the suite.
 */
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { accountHeaders, startHarness, type Harness } from '../support/harness';
import { RedisTransactionCache } from '../../src/reader/cache/redis-transaction-cache';
import { createGateway, type Gateway } from '../../src/gateway';
import { TIMING_DEFAULTS } from '../../src/config';
import { testConfig, postJson } from '../support/harness';
import { LOAD_HEADROOM_MS } from '../support/time';

let redis: TestRedis;
let first: Harness;
let second: Gateway;
let secondUrl: string;

beforeAll(async () => {
  redis = await startTestRedis();
  // Redis commands get the load headroom: on a busy machine the 250 ms default turns writes
  // into drops and reads into misses (by design), which is not what these tests are about.
  const sharedCache = () =>
    new RedisTransactionCache(redis.url, {
      ttlMs: TIMING_DEFAULTS.transactionCacheTtlMs,
      commandTimeoutMs: LOAD_HEADROOM_MS,
    });
  first = await startHarness({
    credentials: 'forward',
    config: { redisUrl: redis.url },
    transactionCache: sharedCache(),
  });
  // A second replica: same upstream, same Redis, its own process-local state.
  second = await createGateway({
    config: testConfig({ wixBaseUrl: first.sandbox.url, redisUrl: redis.url }),
    credentialSource: { kind: 'forward' },
    transactionCache: sharedCache(),
    collectDefaultMetrics: false,
  });
  secondUrl = await second.listen();
});

afterAll(async () => {
  await second?.close();
  await first?.close();
  await redis?.stop();
});

const lookups = (ids: string[]) =>
  `{ ${ids.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id createdDate amount { credits } }`).join(' ')} }`;

describe('shared transaction cache in Redis', () => {
  it('lets a second replica answer transactions the first fetched with no upstream call, dates intact', async () => {
    const demo = first.sandbox.demo;
    const ids = first.sandbox
      .transactionsOf(demo.accountId)
      .slice(0, 20)
      .map((t) => t.id);
    first.sandbox.counters.reset();
    const a = await first.graphql(lookups(ids), undefined, { headers: accountHeaders(demo) });
    expect(a.body.errors).toBeUndefined();
    expect(first.sandbox.counters.get('query')).toBe(1);

    first.sandbox.counters.reset();
    const b = await postJson(`${secondUrl}/graphql`, { query: lookups(ids) }, accountHeaders(demo));
    expect(JSON.parse(b.raw)).toEqual(a.body);
    expect(first.sandbox.counters.total()).toBe(0);
  });

  it("never serves one tenant's cached transactions to another: the other tenant goes upstream and gets null", async () => {
    const { demo, other } = first.sandbox;
    const ids = first.sandbox
      .transactionsOf(demo.accountId)
      .slice(20, 25)
      .map((t) => t.id);
    await first.graphql(lookups(ids), undefined, { headers: accountHeaders(demo) });
    first.sandbox.counters.reset();
    const res = await postJson(`${secondUrl}/graphql`, { query: lookups(ids) }, accountHeaders(other));
    expect(Object.values(JSON.parse(res.raw).data)).toEqual(ids.map(() => null));
    expect(first.sandbox.counters.get('query')).toBe(1);
  });

  it('keeps answering from the upstream when Redis is down, with no error to the client', async () => {
    // Nothing listens on port 1: every cache command fails at once (no offline queue).
    const errors: unknown[] = [];
    const cache = new RedisTransactionCache('redis://127.0.0.1:1', {
      ttlMs: TIMING_DEFAULTS.transactionCacheTtlMs,
      commandTimeoutMs: 100,
      onError: (e) => errors.push(e),
    });
    const gateway = await createGateway({
      config: testConfig({ wixBaseUrl: first.sandbox.url }),
      credentialSource: { kind: 'forward' },
      transactionCache: cache,
      collectDefaultMetrics: false,
    });
    try {
      const url = await gateway.listen();
      const { demo } = first.sandbox;
      const ids = first.sandbox
        .transactionsOf(demo.accountId)
        .slice(30, 33)
        .map((t) => t.id);
      const res = await postJson(`${url}/graphql`, { query: lookups(ids) }, accountHeaders(demo));
      const body = JSON.parse(res.raw) as { data: Record<string, { id: string } | null>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(Object.values(body.data).map((t) => t?.id)).toEqual(ids);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await gateway.close();
    }
  });
});
