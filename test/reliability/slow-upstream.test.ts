/**
 * An upstream that commits a charge after the gateway stopped waiting for it, and callers of one
 * account presenting different tokens: neither may debit twice (deduplication off).
 */
import { ChargeCreditsDocument } from '../../generated/graphql';
import { accountHeaders, startHarness, type Harness } from '../support/harness';
import { chargeInput, delay, startRig, type ReliabilityRig } from './helpers';

describe('slow commits (upstream deduplication off)', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    // The upstream takes 700 ms to commit; the gateway gives an attempt 500 ms and assumes a
    // send may still commit for 1 s after it gave up.
    rig = await startRig({
      config: { attemptTimeoutMs: 500, requestDeadlineMs: 4_000, chargeSettleMs: 1_000 },
      chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(() => rig.close());

  test('a charge the upstream commits after the attempt timed out is found by lookup, not sent again: one send, one debit, CreditsCharged', async () => {
    rig.sandbox.faults.setLatency(700, ['charge']);
    rig.sandbox.counters.reset();
    const input = chargeInput();
    const answer = await rig.graphql(ChargeCreditsDocument, { input });
    rig.sandbox.faults.clear();
    const debits = rig.sandbox.transactionsOf(rig.account.accountId).filter((t) => t.idempotencyKey === input.idempotencyKey);
    expect(debits).toHaveLength(1);
    expect(rig.sandbox.counters.get('charge')).toBe(1);
    expect(answer.body.data?.chargeCredits).toMatchObject({ __typename: 'CreditsCharged', transaction: { id: debits[0]!.id } });
  });

});

describe('client retries while a slow commit is pending (upstream deduplication off)', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    // Each request gives up after 600 ms, before the upstream's commit at 700 ms.
    rig = await startRig({
      config: { attemptTimeoutMs: 500, requestDeadlineMs: 600, chargeSettleMs: 1_000 },
      chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(() => rig.close());

  test('retries with the same key while the first send may still commit only look up: one send, one debit, then CreditsCharged', async () => {
    await delay(1_000); // a fresh gateway sends nothing for one settle window
    rig.sandbox.faults.setLatency(700, ['charge']);
    rig.sandbox.counters.reset();
    const input = chargeInput();
    const kinds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await rig.graphql(ChargeCreditsDocument, { input });
      const result = answer.body.data?.chargeCredits;
      kinds.push(result?.__typename ?? String(answer.body.errors?.[0]?.extensions?.code));
      if (result?.__typename === 'CreditsCharged') break;
      await delay(150);
    }
    rig.sandbox.faults.clear();
    const debits = rig.sandbox.transactionsOf(rig.account.accountId).filter((t) => t.idempotencyKey === input.idempotencyKey);
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
      config: { attemptTimeoutMs: 500, requestDeadlineMs: 3_000, chargeSettleMs: 200 },
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
      expect(answer.body.data?.chargeCredits).toMatchObject({ __typename: 'CreditsCharged', transaction: { id: debits[0]!.id } });
    }
  });
});
