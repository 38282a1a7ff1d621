/**
 * Circuit breakers per operation class: they open on upstream failures and then fail fast
 * with a retryable UPSTREAM_UNAVAILABLE, let one probe through per half-open interval, close on
 * the first healthy probe, and never count business answers (InsufficientCredits, 428).
 */
import { BalanceWidgetDocument, ChargeCreditsDocument } from '../../generated/graphql';
import { delay, LOAD_HEADROOM_MS, timed } from '../support/time';
import { chargeInput, percentile, startRig, type ReliabilityRig } from './helpers';

const HALF_OPEN_MS = 500;

describe('circuit breaker (upstream deduplication off)', () => {
  let rig: ReliabilityRig;

  beforeAll(async () => {
    rig = await startRig({
      config: { requestDeadlineMs: 2_000, attemptTimeoutMs: 300 },
      retry: { halfOpenAfterMs: HALF_OPEN_MS, initialDelayMs: 5, maxDelayMs: 50 },
      chargeBackoff: { initialDelayMs: 5, maxDelayMs: 50 },
    });
  });
  afterAll(() => rig.close());

  test('100 % failures open it: fast UPSTREAM_UNAVAILABLE (retryable) answers, at most one probe per half-open interval, first success within the interval of healing (+ load headroom)', async () => {
    rig.sandbox.faults.add({ kind: 'status503' });

    // Open: reads fail (3 attempts each) until answers stop reaching the upstream.
    let opened = false;
    for (let i = 0; i < 20 && !opened; i++) {
      const before = rig.sandbox.counters.total();
      const answer = await rig.graphql(BalanceWidgetDocument, {});
      expect(answer.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      opened = rig.sandbox.counters.total() === before;
    }
    expect(opened).toBe(true);

    // While open: reads and charges alike fail fast, retryable, without an upstream call (but
    // for one probe per half-open interval, should a busy machine stretch this phase that long).
    const openedAt = Date.now();
    rig.sandbox.counters.reset();
    const fast = [];
    for (let i = 0; i < 20; i++) fast.push(await timed(() => rig.graphql(BalanceWidgetDocument, {})));
    const charge = await timed(() => rig.graphql(ChargeCreditsDocument, { input: chargeInput() }));
    for (const { value, ms } of [...fast, charge]) {
      expect(value.body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    }
    expect(rig.sandbox.counters.total()).toBeLessThanOrEqual(Math.floor((Date.now() - openedAt) / HALF_OPEN_MS));
    const fastMs = [...fast, charge].map((f) => f.ms);
    // The open breaker's proof is the absent upstream calls above; its answers take a few ms on an
    // idle machine (logged below) and never wait out an attempt timeout or a deadline.
    expect(percentile(fastMs, 50)).toBeLessThan(LOAD_HEADROOM_MS);

    // Half-open: hammer for 5 intervals with 10 clients; the upstream sees one probe per interval at most.
    rig.sandbox.counters.reset();
    const windowStart = Date.now();
    const windowMs = 5 * HALF_OPEN_MS;
    const hammer = async () => {
      while (Date.now() - windowStart < windowMs) {
        await rig.graphql(BalanceWidgetDocument, {});
        await delay(5);
      }
    };
    await Promise.all(Array.from({ length: 10 }, hammer));
    const probes = rig.sandbox.requests.filter((r) => r.at >= windowStart).map((r) => r.at);
    const gaps = probes.slice(1).map((at, i) => at - probes[i]);
    expect(probes.length).toBeGreaterThanOrEqual(1);
    // + 1: a hammer request sent just before the window closed may still probe.
    expect(probes.length).toBeLessThanOrEqual(Math.ceil(windowMs / HALF_OPEN_MS) + 1);
    // A probe is let through only an interval after the previous probe failed, which is after the
    // upstream saw it: load can only widen these gaps (20 ms: timer granularity).
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(HALF_OPEN_MS - 20);

    // Heal: the first success comes within the half-open interval (plus what a busy machine adds).
    rig.sandbox.faults.clear();
    const healedAt = Date.now();
    let firstSuccessMs = Infinity;
    while (Date.now() - healedAt < HALF_OPEN_MS + 2 * LOAD_HEADROOM_MS) {
      const answer = await rig.graphql(BalanceWidgetDocument, {});
      if (!answer.body.errors) {
        firstSuccessMs = Date.now() - healedAt;
        break;
      }
      await delay(10);
    }
    console.log(
      `breaker: fast-fail p50 ${percentile(fastMs, 50).toFixed(1)} ms, max ${Math.max(...fastMs).toFixed(1)} ms; ` +
        `${probes.length} probes in ${windowMs} ms (gaps ${gaps.join(', ')} ms); first success ${firstSuccessMs} ms after healing`,
    );
    expect(firstSuccessMs).toBeLessThanOrEqual(HALF_OPEN_MS + LOAD_HEADROOM_MS);
  });

  test('InsufficientCredits (428) answers never open it: after 40 in a row a normal charge still goes upstream and succeeds', async () => {
    rig.sandbox.faults.clear();
    const answers = [];
    for (let i = 0; i < 40; i++)
      answers.push(
        await rig.graphql(ChargeCreditsDocument, { input: chargeInput({ credits: 50_000_000, cost: null }) }),
      );
    for (const answer of answers)
      expect(answer.body).toMatchObject({ data: { chargeCredits: { __typename: 'InsufficientCredits' } } });

    rig.sandbox.counters.reset();
    const normal = await rig.graphql(ChargeCreditsDocument, { input: chargeInput() });
    expect(normal.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    expect(rig.sandbox.counters.get('charge')).toBe(1);
  });
});
