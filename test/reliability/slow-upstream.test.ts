/**
 * An upstream that commits a charge after the gateway stopped waiting for it, and callers of one
 * account presenting different tokens: neither may debit twice (deduplication off).
 */
import { ChargeCreditsDocument } from '../../generated/graphql';
import { accountHeaders, startHarness, type Harness } from '../support/harness';
import { delay, LOAD_HEADROOM_MS } from '../support/time';
import { chargeInput, startRig, type ReliabilityRig } from './helpers';

/** The upstream commits a charge this long after receiving it. */
const COMMIT_MS = 700;
/**
 * How long the gateway assumes a send may still commit after it gave up: the commit delay plus
 * what a busy machine adds to delivering the request, so a late commit always lands inside it.
 */
const SETTLE_MS = COMMIT_MS + LOAD_HEADROOM_MS;

describe('slow commits (upstream deduplication off)', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    // The upstream takes 700 ms to commit; the gateway gives an attempt 500 ms and assumes a
    // send may still commit for SETTLE_MS after it gave up.
    rig = await startRig({
      config: { attemptTimeoutMs: 500, requestDeadlineMs: SETTLE_MS + 3 * LOAD_HEADROOM_MS, chargeSettleMs: SETTLE_MS },
      chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(() => rig.close());

  test('a charge the upstream commits after the attempt timed out is found by lookup, not sent again: one send, one debit, CreditsCharged', async () => {
    rig.sandbox.faults.setLatency(COMMIT_MS, ['charge']);
    rig.sandbox.counters.reset();
    const input = chargeInput();
    const answer = await rig.graphql(ChargeCreditsDocument, { input });
    rig.sandbox.faults.clear();
    const debits = rig.sandbox
      .transactionsOf(rig.account.accountId)
      .filter((t) => t.idempotencyKey === input.idempotencyKey);
    expect(debits).toHaveLength(1);
    expect(rig.sandbox.counters.get('charge')).toBe(1);
    expect(answer.body.data?.chargeCredits).toMatchObject({
      __typename: 'CreditsCharged',
      transaction: { id: debits[0]!.id },
    });
  });
});

describe('client retries while a slow commit is pending (upstream deduplication off)', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    // Each request gives up after 600 ms, before the upstream's commit at 700 ms (the deadline's
    // timer expires first, and timers fire in order however busy the machine is).
    rig = await startRig({
      config: { attemptTimeoutMs: 500, requestDeadlineMs: 600, chargeSettleMs: SETTLE_MS },
      chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(() => rig.close());

  test('retries with the same key while the first send may still commit only look up: one send, one debit, then CreditsCharged', async () => {
    await delay(SETTLE_MS); // a fresh gateway sends nothing for one settle window
    rig.sandbox.faults.setLatency(COMMIT_MS, ['charge']);
    rig.sandbox.counters.reset();
    const input = chargeInput();
    const kinds: string[] = [];
    const retryUntil = Date.now() + SETTLE_MS + 2 * LOAD_HEADROOM_MS;
    while (Date.now() < retryUntil) {
      const answer = await rig.graphql(ChargeCreditsDocument, { input });
      const result = answer.body.data?.chargeCredits;
      kinds.push(result?.__typename ?? String(answer.body.errors?.[0]?.extensions?.code));
      if (result?.__typename === 'CreditsCharged') break;
      await delay(150);
    }
    rig.sandbox.faults.clear();
    const debits = rig.sandbox
      .transactionsOf(rig.account.accountId)
      .filter((t) => t.idempotencyKey === input.idempotencyKey);
    expect(kinds[0]).toBe('ChargeOutcomeUnknown');
    expect(kinds.at(-1)).toBe('CreditsCharged');
    expect(kinds.slice(0, -1).every((k) => k === 'ChargeOutcomeUnknown')).toBe(true);
    expect(debits).toHaveLength(1);
    expect(rig.sandbox.counters.get('charge')).toBe(1);
  });
});

describe('callers of one account with different tokens (forwarded credentials, deduplication off)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      credentials: 'forward',
      sandbox: { historySize: 0, deduplicate: false },
      // Attempts and settle windows with load headroom: the 100 ms commit must never look lost.
      config: {
        attemptTimeoutMs: LOAD_HEADROOM_MS,
        requestDeadlineMs: 3 * LOAD_HEADROOM_MS,
        chargeSettleMs: LOAD_HEADROOM_MS,
      },
    });
    h.sandbox.setDeduplication(false);
  });
  afterAll(() => h.close());

  test('concurrent duplicates sent with "K" and "Bearer K" share one charge: one debit', async () => {
    const account = h.sandbox.createAccount({ periodic: 0, topUp: 1_000 });
    const input = chargeInput();
    h.sandbox.faults.setLatency(100, ['charge']);
    const plain = accountHeaders(account);
    const bearer = { ...plain, authorization: `Bearer ${account.apiKey}` };
    const answers = await Promise.all([
      h.graphql(ChargeCreditsDocument, { input }, { headers: plain }),
      h.graphql(ChargeCreditsDocument, { input }, { headers: bearer }),
      h.graphql(ChargeCreditsDocument, { input }, { headers: plain }),
      h.graphql(ChargeCreditsDocument, { input }, { headers: bearer }),
    ]);
    h.sandbox.faults.clear();
    const debits = h.sandbox.transactionsOf(account.accountId).filter((t) => t.idempotencyKey === input.idempotencyKey);
    expect(debits).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.body.data?.chargeCredits).toMatchObject({
        __typename: 'CreditsCharged',
        transaction: { id: debits[0]!.id },
      });
    }
  });
});
