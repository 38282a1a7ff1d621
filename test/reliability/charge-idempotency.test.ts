/**
 * Issue 5, gateway-side idempotency: the sandbox does not deduplicate, so every guarantee here
 * is the gateway's own (single flight, idempotency store, look-up before send, identical resends).
 */
import Decimal from 'decimal.js';
import { ChargeCreditsDocument } from '../../generated/graphql';
import { accountHeaders } from '../support/accounts';
import { delay } from '../support/time';
import { chargeInput, startRig, type ReliabilityRig } from './helpers';

describe('charges are debited at most once per idempotency key (upstream deduplication off)', () => {
  let rig: ReliabilityRig;

  beforeAll(async () => {
    rig = await startRig({ chargeBackoff: { initialDelayMs: 5, maxDelayMs: 50 } });
  });
  afterAll(() => rig.close());
  beforeEach(() => {
    rig.sandbox.faults.clear();
    rig.sandbox.counters.reset();
  });

  const debitsOf = (key: string) =>
    rig.sandbox.transactionsOf(rig.account.accountId).filter((tx) => tx.idempotencyKey === key);

  test('200 concurrent identical charges make exactly one debit and all 200 answers carry the same transaction id', async () => {
    const input = chargeInput();
    const before = new Decimal(rig.sandbox.balanceOf(rig.account.accountId).available);
    const answers = await Promise.all(Array.from({ length: 200 }, () => rig.graphql(ChargeCreditsDocument, { input })));

    const ids = new Set<string>();
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      const result = answer.body.data?.chargeCredits;
      expect(result?.__typename).toBe('CreditsCharged');
      if (result?.__typename === 'CreditsCharged') ids.add(result.transaction.id);
    }
    const debits = debitsOf(input.idempotencyKey as string);
    expect(debits).toHaveLength(1);
    expect([...ids]).toEqual([debits[0].id]);
    const after = new Decimal(rig.sandbox.balanceOf(rig.account.accountId).available);
    expect(before.minus(after).toString()).toBe('2.5');
    expect(rig.sandbox.counters.get('charge')).toBe(1);
  });

  test('a connection reset after commit on the first 2 attempts still ends in success with one debit; resends carry the byte-identical body and the same key', async () => {
    rig.sandbox.faults.add({ routes: ['charge'], kind: 'resetAfterCommit', times: 2 });
    const input = chargeInput();
    const answer = await rig.graphql(ChargeCreditsDocument, { input });

    expect(answer.body.errors).toBeUndefined();
    const result = answer.body.data?.chargeCredits;
    expect(result?.__typename).toBe('CreditsCharged');
    const debits = debitsOf(input.idempotencyKey as string);
    expect(debits).toHaveLength(1);
    if (result?.__typename === 'CreditsCharged') expect(result.transaction.id).toBe(debits[0].id);

    // The first reset committed: the look-up that precedes every send finds that debit, so the
    // gateway answers with it instead of sending again (the second fault never gets to fire).
    const sent = rig.sandbox.requests.filter((r) => r.route === 'charge');
    expect(sent.map((r) => r.fault)).toEqual(['resetAfterCommit']);
    expect(rig.sandbox.requests.filter((r) => r.route === 'query')).toHaveLength(2);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([input.idempotencyKey]));
  });

  test('resets before commit on the first 2 attempts: 3 sends with byte-identical bodies and one key, one debit', async () => {
    rig.sandbox.faults.add({ routes: ['charge'], kind: 'resetBeforeCommit', times: 2 });
    const input = chargeInput({ metadata: { b: 1, a: { y: [1, 2], x: 'z' } } });
    const answer = await rig.graphql(ChargeCreditsDocument, { input });

    expect(answer.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    const sent = rig.sandbox.requests.filter((r) => r.route === 'charge');
    expect(sent).toHaveLength(3);
    expect(sent.map((r) => r.fault)).toEqual(['resetBeforeCommit', 'resetBeforeCommit', undefined]);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([input.idempotencyKey]));
    expect(debitsOf(input.idempotencyKey as string)).toHaveLength(1);
  });

  test('a mix of after-commit resets and 503s on charge still debits once, every send identical', async () => {
    rig.sandbox.faults.add({ routes: ['charge'], kind: 'status503', times: 1 });
    rig.sandbox.faults.add({ routes: ['charge'], kind: 'resetAfterCommit', times: 2 });
    const input = chargeInput();
    const answer = await rig.graphql(ChargeCreditsDocument, { input });

    expect(answer.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    expect(debitsOf(input.idempotencyKey as string)).toHaveLength(1);
    const sent = rig.sandbox.requests.filter((r) => r.route === 'charge');
    expect(sent.map((r) => r.fault)).toEqual(['status503', 'resetAfterCommit']);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
  });

  test('a finished charge replays without any upstream call; the same key with a different input is IdempotencyKeyReused without an upstream call', async () => {
    const input = chargeInput();
    const first = await rig.graphql(ChargeCreditsDocument, { input });
    expect(first.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    rig.sandbox.counters.reset();

    // Same intent, metadata keys in another order: the normalized fingerprint is the same.
    const reordered = { ...input, metadata: { tags: ['a', 'b'], feature: 'image' } };
    const replay = await rig.graphql(ChargeCreditsDocument, { input: reordered });
    expect(replay.body.data?.chargeCredits).toEqual(first.body.data?.chargeCredits);
    expect(rig.sandbox.counters.get('charge') + rig.sandbox.counters.get('query')).toBe(0);

    const reused = await rig.graphql(ChargeCreditsDocument, { input: { ...input, credits: 3 } });
    expect(reused.body.data?.chargeCredits).toMatchObject({
      __typename: 'IdempotencyKeyReused',
      idempotencyKey: input.idempotencyKey,
    });
    expect(rig.sandbox.counters.get('charge') + rig.sandbox.counters.get('query')).toBe(0);
    expect(debitsOf(input.idempotencyKey as string)).toHaveLength(1);
  });

  test('a concurrent request with the same key and a different input is refused while the first is in flight', async () => {
    rig.sandbox.faults.setLatency(100, ['charge']);
    const input = chargeInput();
    const [a, b] = await Promise.all([
      rig.graphql(ChargeCreditsDocument, { input }),
      delay(20).then(() => rig.graphql(ChargeCreditsDocument, { input: { ...input, description: 'other' } })),
    ]);
    expect(a.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    expect(b.body.data?.chargeCredits.__typename).toBe('IdempotencyKeyReused');
    expect(rig.sandbox.counters.get('charge')).toBe(1);
  });

  test('InsufficientCredits is a definite answer: no debit, and it replays for the same key without an upstream call', async () => {
    const input = chargeInput({ credits: 5_000_000, cost: null });
    const first = await rig.graphql(ChargeCreditsDocument, { input });
    expect(first.body.data?.chargeCredits).toMatchObject({
      __typename: 'InsufficientCredits',
      requiredCredits: 5_000_000,
    });
    rig.sandbox.counters.reset();
    const again = await rig.graphql(ChargeCreditsDocument, { input });
    expect(again.body.data?.chargeCredits).toEqual(first.body.data?.chargeCredits);
    expect(rig.sandbox.counters.total()).toBe(0);
    expect(debitsOf(input.idempotencyKey as string)).toHaveLength(0);
  });
});

describe('after a restart (empty idempotency store) the key is looked up upstream before any send', () => {
  test('a charge committed by an earlier process is found, not debited again; a different input under it is IdempotencyKeyReused and does not poison the owner', async () => {
    const rig = await startRig();
    try {
      const input = chargeInput();
      // Commit upstream behind the gateway's back (as an earlier process whose answer was lost would have).
      rig.sandbox.faults.add({ routes: ['charge'], kind: 'resetAfterCommit', times: 1 });
      const body = JSON.stringify({
        amount: { credits: input.credits, cost: input.cost },
        description: input.description,
        externalRefId: input.externalRefId,
        metadata: input.metadata,
        idempotencyKey: input.idempotencyKey,
      });
      await fetch(`${rig.sandbox.url}/appmarket/credittransactions/v1/credit-transactions/charge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...accountHeaders(rig.account) },
        body,
      }).catch(() => undefined);
      const [committed] = rig.sandbox.transactionsOf(rig.account.accountId);
      expect(committed.idempotencyKey).toBe(input.idempotencyKey);

      const other = await rig.graphql(ChargeCreditsDocument, { input: { ...input, credits: 1 } });
      expect(other.body.data?.chargeCredits.__typename).toBe('IdempotencyKeyReused');
      const owner = await rig.graphql(ChargeCreditsDocument, { input });
      const result = owner.body.data?.chargeCredits;
      expect(result?.__typename).toBe('CreditsCharged');
      if (result?.__typename === 'CreditsCharged') expect(result.transaction.id).toBe(committed.id);
      expect(rig.sandbox.transactionsOf(rig.account.accountId)).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });
});
