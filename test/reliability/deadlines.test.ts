/**
 * A hanging upstream: every GraphQL answer arrives by the request's deadline, as
 * UPSTREAM_TIMEOUT for reads and ChargeOutcomeUnknown for a charge that was sent, and nothing
 * (timers, sockets) is left behind once the answers are in.
 *
 * The attempt timeout is far beyond the deadline plus the load headroom, so only the deadline
 * can end these calls within the bound asserted; the latencies are logged for the record (on an
 * idle machine they are the deadline + a few ms).
 */
import { BalanceWidgetDocument, ChargeCreditsDocument } from '../../generated/graphql';
import { delay, LOAD_HEADROOM_MS, timed } from '../support/time';
import { activeResources, chargeInput, startRig, type ReliabilityRig } from './helpers';

const DEADLINE_MS = 1_000;
/** What a caller may wait for at most: the deadline, plus what a busy machine adds. */
const BOUND_MS = DEADLINE_MS + LOAD_HEADROOM_MS;
/** Without the deadline a hanging attempt would last this long (and be retried). */
const ATTEMPT_TIMEOUT_MS = 3 * BOUND_MS;

describe('deadlines against a hanging upstream (upstream deduplication off)', () => {
  let rig: ReliabilityRig;
  const latencies: Record<string, number[]> = {};

  beforeAll(async () => {
    rig = await startRig({
      // One attempt alone outlasts the bound: the deadline, not the attempt timeout or count, ends these calls.
      config: { requestDeadlineMs: DEADLINE_MS, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS },
      // The breaker is the subject of its own suite; here it must not turn timeouts into fail-fasts.
      retry: { initialDelayMs: 20, maxDelayMs: 200, breakerThreshold: 1_000 },
      chargeBackoff: { initialDelayMs: 20, maxDelayMs: 200 },
    });
  });
  afterAll(async () => {
    console.log(
      `hang answer latency (deadline ${DEADLINE_MS} ms): ${JSON.stringify(Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, v.map((ms) => Math.round(ms))])))}`,
    );
    await rig.close();
  });
  beforeEach(() => {
    rig.sandbox.faults.clear();
    rig.sandbox.counters.reset();
  });

  const record = (name: string, ms: number) => (latencies[name] ??= []).push(ms);

  test('a hanging balance read answers UPSTREAM_TIMEOUT by the deadline', async () => {
    rig.sandbox.faults.add({ routes: ['balance'], kind: 'hang' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => timed(() => rig.graphql(BalanceWidgetDocument, {}))),
    );
    for (const { value, ms } of answers) {
      record('read', ms);
      expect(value.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
      expect(ms).toBeLessThanOrEqual(BOUND_MS);
    }
  });

  test('a hanging charge answers ChargeOutcomeUnknown by the deadline, and nothing is debited', async () => {
    rig.sandbox.faults.add({ routes: ['charge'], kind: 'hang' });
    const input = chargeInput();
    const { value, ms } = await timed(() => rig.graphql(ChargeCreditsDocument, { input }));
    record('charge', ms);
    expect(value.body.data?.chargeCredits).toMatchObject({
      __typename: 'ChargeOutcomeUnknown',
      idempotencyKey: input.idempotencyKey,
    });
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
    expect(
      rig.sandbox.transactionsOf(rig.account.accountId).filter((tx) => tx.idempotencyKey === input.idempotencyKey),
    ).toHaveLength(0);

    // The retry the answer asks for, once the upstream is well, charges exactly once.
    rig.sandbox.faults.clear();
    const retried = await rig.graphql(ChargeCreditsDocument, { input });
    expect(retried.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    expect(
      rig.sandbox.transactionsOf(rig.account.accountId).filter((tx) => tx.idempotencyKey === input.idempotencyKey),
    ).toHaveLength(1);
  });

  test('a hanging look-up (nothing sent) answers UPSTREAM_TIMEOUT by the deadline', async () => {
    rig.sandbox.faults.add({ routes: ['query'], kind: 'hang' });
    const { value, ms } = await timed(() => rig.graphql(ChargeCreditsDocument, { input: chargeInput() }));
    record('charge look-up', ms);
    expect(value.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
    expect(rig.sandbox.counters.get('charge')).toBe(0);
  });

  test('after hanging calls no timers or sockets are left behind', async () => {
    // Warm up with the same concurrency, so the keep-alive sockets of the happy path are in the baseline.
    const burst = () =>
      Promise.all([
        ...Array.from({ length: 5 }, () => rig.graphql(BalanceWidgetDocument, {})),
        ...Array.from({ length: 5 }, () => rig.graphql(ChargeCreditsDocument, { input: chargeInput() })),
      ]);
    await burst();
    await burst();
    const before = activeResources();
    rig.sandbox.faults.add({ kind: 'hang' });
    await burst();
    await delay(100);
    const after = activeResources();
    console.log(`active resources before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0);
  });
});
