/**
 * Reads retry transient failures (cockatiel retry, full-jitter backoff, at most 3 attempts)
 * with the production defaults: a 30 % rate of 503s is absorbed without opening the breaker.
 */
import { BalanceWidgetDocument } from '../../generated/graphql';
import { startRig, withConcurrency, type ReliabilityRig } from './helpers';

const QUERIES = 1_000;

describe('reads under upstream 503s (upstream deduplication off)', () => {
  let rig: ReliabilityRig;

  beforeAll(async () => {
    rig = await startRig({ config: { requestDeadlineMs: 5_000, attemptTimeoutMs: 1_000 } });
  });
  afterAll(() => rig.close());

  test('with 30 % of balance calls answering 503, at least 96 % of 1,000 balance queries succeed with at most 1.45 upstream attempts per query', async () => {
    rig.sandbox.faults.seed(5);
    rig.sandbox.faults.add({ routes: ['balance'], kind: 'status503', probability: 0.3 });
    rig.sandbox.counters.reset();

    // One at a time: the seeded fault PRNG then draws in a fixed order, so the figure is repeatable.
    const answers = await withConcurrency(1, QUERIES, () => rig.graphql(BalanceWidgetDocument, {}));
    const ok = answers.filter(
      (a) => a.body.errors === undefined && typeof a.body.data?.creditBalance.availableCredits === 'number',
    ).length;
    const failed = answers.filter((a) => a.body.errors !== undefined);
    const attempts = rig.sandbox.counters.get('balance');
    const faulted = rig.sandbox.requests.filter((r) => r.route === 'balance' && r.fault === 'status503').length;
    console.log(
      `reads under 30 % 503: ${ok}/${QUERIES} succeeded (${((ok / QUERIES) * 100).toFixed(1)} %), ` +
        `${attempts} upstream attempts (${(attempts / QUERIES).toFixed(3)} per query), ${faulted} answered 503`,
    );

    expect(ok / QUERIES).toBeGreaterThanOrEqual(0.96);
    expect(attempts / QUERIES).toBeLessThanOrEqual(1.45);
    // The faults really fired, and what failed failed as a retryable UPSTREAM_UNAVAILABLE.
    expect(faulted / attempts).toBeGreaterThan(0.2);
    for (const answer of failed)
      expect(answer.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    // 1,000 sequential GraphQL round trips: seconds when idle, minutes on a saturated machine.
  }, 300_000);

  test('a 429 with Retry-After is retried after the wait; without Retry-After it is not retried', async () => {
    rig.sandbox.faults.clear();
    rig.sandbox.faults.add({ routes: ['balance'], kind: 'status429', retryAfterSeconds: 1, times: 1 });
    rig.sandbox.counters.reset();
    const started = Date.now();
    const retried = await rig.graphql(BalanceWidgetDocument, {});
    expect(retried.body.errors).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rig.sandbox.counters.get('balance')).toBe(2);

    rig.sandbox.faults.add({ routes: ['balance'], kind: 'status429', times: 1 });
    rig.sandbox.counters.reset();
    const refused = await rig.graphql(BalanceWidgetDocument, {});
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(rig.sandbox.counters.get('balance')).toBe(1);
  });
});
