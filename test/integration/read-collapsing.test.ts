/**
 * Upstream read collapsing: identical reads of one tenant in flight share one upstream call,
 * a read that starts after a charge completed does not join an older call, and
 * COLLAPSE_READS=false turns it off. The sandbox's balance latency keeps the first call in
 * flight long enough for the others to arrive (no timing is asserted).
 */
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { LOAD_HEADROOM_MS } from '../support/time';

const BALANCE = '{ creditBalance { availableCredits } }';
type Balance = { creditBalance: { availableCredits: number } };

async function concurrentBalances(h: Harness, n: number): Promise<number[]> {
  const results = await Promise.all(Array.from({ length: n }, () => h.graphql(BALANCE)));
  return results.map((res) => {
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return (res.body.data as Balance).creditBalance.availableCredits;
  });
}

const SLOW_UPSTREAM_MS = 1_500 + LOAD_HEADROOM_MS;

describe('with collapsing on (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      credentials: (s) => s.createAccount({ periodic: 50, topUp: 5 }),
      // Attempts outlast the slow upstream below, even on a busy machine.
      config: {
        attemptTimeoutMs: SLOW_UPSTREAM_MS + LOAD_HEADROOM_MS,
        requestDeadlineMs: SLOW_UPSTREAM_MS + 2 * LOAD_HEADROOM_MS,
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.faults.clear();
    h.sandbox.counters.reset();
  });

  test('100 concurrent balance reads make one upstream call and all get its answer', async () => {
    // The upstream answers after the load headroom: all 100 requests reach the gateway before it.
    h.sandbox.faults.setLatency(SLOW_UPSTREAM_MS, ['balance']);
    const balances = await concurrentBalances(h, 100);
    expect(h.sandbox.counters.get('balance')).toBe(1);
    expect(new Set(balances)).toEqual(new Set([55]));
  });

  test('a balance read that starts after a charge completed sends its own call and reflects the charge', async () => {
    const before = (await h.graphql(BALANCE)).body.data as Balance;
    h.sandbox.counters.reset();
    h.sandbox.faults.setLatency(1_000, ['balance']);
    const older = h.graphql(BALANCE); // in flight while the charge happens
    while (h.sandbox.counters.get('balance') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const charged = await h.graphql(
      'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }',
      { input: { credits: 2, idempotencyKey: randomUUID() } },
    );
    expect((charged.body.data as { chargeCredits: { __typename: string } }).chargeCredits.__typename).toBe(
      'CreditsCharged',
    );
    const after = await h.graphql(BALANCE);
    await older;
    expect(h.sandbox.counters.get('balance')).toBe(2); // the later read did not join the older call
    expect((after.body.data as Balance).creditBalance.availableCredits).toBe(before.creditBalance.availableCredits - 2);
  });
});

describe('with forwarded credentials', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ credentials: 'forward' });
  });
  afterAll(() => h.close());

  test('concurrent reads of two tenants make one call each and each gets its own balance', async () => {
    const a = h.sandbox.createAccount({ periodic: 11, topUp: 0 });
    const b = h.sandbox.createAccount({ periodic: 22, topUp: 0 });
    h.sandbox.counters.reset();
    h.sandbox.faults.setLatency(1_000, ['balance']);
    const headers = (acc: typeof a) => ({ authorization: acc.apiKey, 'wix-account-id': acc.accountId });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.graphql(BALANCE, undefined, { headers: headers(i % 2 ? b : a) })),
    );
    expect(h.sandbox.counters.get('balance')).toBe(2);
    results.forEach((res, i) =>
      expect((res.body.data as Balance).creditBalance.availableCredits).toBe(i % 2 ? 22 : 11),
    );
  });
});

describe('with COLLAPSE_READS=false', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { collapseReads: false } });
  });
  afterAll(() => h.close());

  test('every read makes its own upstream call', async () => {
    h.sandbox.counters.reset();
    h.sandbox.faults.setLatency(500, ['balance']);
    await concurrentBalances(h, 20);
    expect(h.sandbox.counters.get('balance')).toBe(20);
  });
});
