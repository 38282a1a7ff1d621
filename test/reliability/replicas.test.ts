/**
 * Several replicas sharing charge state in Redis (REDIS_URL), against an upstream that does not
 * deduplicate: duplicates spread over replicas still debit once, a retry on another replica
 * respects the first send's settle window, and without Redis charges fail closed.
 */
import { ChargeCreditsDocument } from '../../generated/graphql';
import { postJson } from '../support/harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { delay, LOAD_HEADROOM_MS } from '../support/time';
import { chargeInput, startReplicas } from './helpers';
import { print } from 'graphql';
import Redis from 'ioredis';
import { closeRedis } from '../../src/common/close-redis';

const CHARGE = print(ChargeCreditsDocument);

type ChargeAnswer = {
  data?: { chargeCredits: { __typename: string; transaction?: { id: string } } };
  errors?: { extensions?: Record<string, unknown> }[];
};

async function charge(url: string, input: ReturnType<typeof chargeInput>): Promise<ChargeAnswer> {
  const res = await postJson(`${url}/graphql`, { query: CHARGE, variables: { input } });
  return JSON.parse(res.raw) as ChargeAnswer;
}

describe('replicas sharing charge state in Redis (upstream deduplication off)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  test('200 concurrent identical charges spread over two replicas make exactly one debit, all answers naming it', async () => {
    // 200 requests and their balance reads at once: on a busy machine an attempt may wait its
    // turn for seconds, and a timed-out read would be an error rather than a named debit.
    const r = await startReplicas(redis.url, {
      attemptTimeoutMs: 1_000 + LOAD_HEADROOM_MS,
      requestDeadlineMs: 8_000 + LOAD_HEADROOM_MS,
      chargeSettleMs: 200,
    });
    try {
      await delay(250); // a fresh replica sends nothing during its first settle window
      const input = chargeInput();
      r.rig.sandbox.faults.setLatency(30, ['charge']);
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => charge(r.urls[i % 2]!, input)));
      const debits = r.rig.sandbox
        .transactionsOf(r.rig.account.accountId)
        .filter((t) => t.idempotencyKey === input.idempotencyKey);
      expect(debits).toHaveLength(1);
      expect(r.rig.sandbox.counters.get('charge')).toBe(1);
      for (const answer of answers)
        expect(answer.data?.chargeCredits).toMatchObject({
          __typename: 'CreditsCharged',
          transaction: { id: debits[0]!.id },
        });
    } finally {
      await r.close();
    }
  });

  test('a retry on another replica while the first send may still commit only looks up: one send, one debit', async () => {
    // The upstream commits 1.5 s after a send; each request gives up after 600 ms; a send of
    // unknown fate may commit for 1.5 s (+ load headroom) after the gateway gave up on it.
    const commitMs = 1_500;
    const settleMs = commitMs + LOAD_HEADROOM_MS;
    const r = await startReplicas(redis.url, {
      attemptTimeoutMs: 500,
      requestDeadlineMs: 600,
      chargeSettleMs: settleMs,
    });
    try {
      await delay(settleMs + 50); // past the replicas' start-up settle window
      r.rig.sandbox.faults.setLatency(commitMs, ['charge']);
      r.rig.sandbox.counters.reset();
      const input = chargeInput();
      const kinds: string[] = [];
      for (let i = 0; i < 40; i++) {
        const answer = await charge(r.urls[i % 2]!, input); // alternate replicas, the first retry at once
        kinds.push(answer.data?.chargeCredits.__typename ?? String(answer.errors?.[0]?.extensions?.code));
        if (kinds.at(-1) === 'CreditsCharged') break;
        if (i > 0) await delay(100);
      }
      const debits = r.rig.sandbox
        .transactionsOf(r.rig.account.accountId)
        .filter((t) => t.idempotencyKey === input.idempotencyKey);
      expect(kinds.slice(0, 2)).toEqual(['ChargeOutcomeUnknown', 'ChargeOutcomeUnknown']);
      expect(kinds.at(-1)).toBe('CreditsCharged');
      expect(debits).toHaveLength(1);
      expect(r.rig.sandbox.counters.get('charge')).toBe(1);
    } finally {
      await r.close();
    }
  });

  test('with Redis unreachable, a charge fails closed: UPSTREAM_UNAVAILABLE (retryable), nothing sent', async () => {
    const down = await startTestRedis();
    const r = await startReplicas(down.url, { attemptTimeoutMs: 500, requestDeadlineMs: 2_000, chargeSettleMs: 0 });
    try {
      await down.stop();
      await delay(100);
      r.rig.sandbox.counters.reset();
      const answer = await charge(r.urls[0]!, chargeInput());
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(r.rig.sandbox.counters.get('charge')).toBe(0);
      // Reads do not depend on Redis: the balance still answers.
      const balance = await postJson(`${r.urls[0]}/graphql`, { query: '{ creditBalance { availableCredits } }' });
      expect(JSON.parse(balance.raw).errors).toBeUndefined();
    } finally {
      await r.close();
    }
  });

  test('with a Redis that may evict keys, charges fail closed: UPSTREAM_UNAVAILABLE (retryable), nothing sent', async () => {
    const evicting = await startTestRedis();
    const admin = new Redis(evicting.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const r = await startReplicas(evicting.url, { attemptTimeoutMs: 500, requestDeadlineMs: 2_000, chargeSettleMs: 0 });
    try {
      r.rig.sandbox.counters.reset();
      const answer = await charge(r.urls[0]!, chargeInput());
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(r.rig.sandbox.counters.get('charge')).toBe(0);
    } finally {
      await closeRedis(admin);
      await r.close();
      await evicting.stop();
    }
  });
});
