/**
 * Charge limits shared by replicas through Redis: the daily budget holds across two replicas
 * under concurrency, Redis sums credits exactly (decimal strings in Lua), and charges fail
 * closed when Redis is unreachable.
 */
import fc from 'fast-check';
import { ExactDecimal as Decimal } from '../../src/charges/limits/limit-config';
import { RedisLimitStore } from '../../src/charges/limits/redis-limit-store';
import { TIMING_DEFAULTS } from '../../src/config';
import { chargeBurst } from '../support/charge-burst';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { startReplicas, startRig } from './helpers';

const LIMITS = { chargeLimits: { rate: null, budgetPerDay: '50' } };

describe('charge limits in Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('two replicas sharing Redis: 200 concurrent charges against a budget that fits 50 → still exactly 50 debits', async () => {
    const replicas = await startReplicas(redis.url, LIMITS);
    try {
      replicas.rig.sandbox.counters.reset();
      expect(await chargeBurst(replicas.urls, 200)).toEqual({ CreditsCharged: 50, BudgetExceeded: 150 });
      expect(replicas.rig.sandbox.counters.get('charge')).toBe(50);
    } finally {
      await replicas.close();
    }
  });

  it('adds, subtracts and compares decimal strings exactly in Lua (against decimal.js)', async () => {
    const store = new RedisLimitStore(redis.url, { commandTimeoutMs: TIMING_DEFAULTS.redis.stateCommandTimeoutMs });
    try {
      const decimal = fc
        .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }))
        .map(([units, scale]) => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale)).toFixed());
      await fc.assert(
        fc.asyncProperty(decimal, decimal, async (a, b) => {
          const [x, y] = [new Decimal(a), new Decimal(b)];
          expect(await store.decimal('add', a, b)).toBe(x.plus(y).toFixed());
          expect(await store.decimal('sub', a, b)).toBe(Decimal.max(x.minus(y), 0).toFixed());
          expect(await store.decimal('cmp', a, b)).toBe(String(x.comparedTo(y)));
        }),
        { numRuns: 200 },
      );
    } finally {
      await store.close();
    }
  });

  it('fails closed when Redis is unreachable: UPSTREAM_UNAVAILABLE, retryable, nothing charged', async () => {
    const rig = await startRig({ config: { ...LIMITS, redisUrl: 'redis://127.0.0.1:1' } });
    try {
      rig.sandbox.counters.reset();
      const counts = await chargeBurst([rig.url], 3);
      expect(counts).toEqual({ UPSTREAM_UNAVAILABLE: 3 });
      expect(rig.sandbox.counters.get('charge')).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
