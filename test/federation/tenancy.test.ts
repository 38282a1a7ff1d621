/**
 * Entity resolution takes the tenant from the request's credentials (forwarded by the router),
 * never from a representation; and one `_entities` call with N representations makes ⌈N/100⌉
 * upstream query calls.
 */
import { accountHeaders } from '../support/accounts';
import { startHarness, type Harness } from '../support/harness';
import type { SandboxAccount } from '../../src/sandbox';
import { ENTITIES_QUERY, idsOf, interleave, representations, unknownIds, type EntityResult } from './helpers';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ credentials: 'forward' });
});

afterAll(async () => {
  await harness?.close();
});

async function entities(account: SandboxAccount, reps: object[]) {
  const res = await harness.graphql<{ _entities: EntityResult[] }, { representations: object[] }>(
    ENTITIES_QUERY,
    { representations: reps },
    { path: '/subgraph', headers: accountHeaders(account) },
  );
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!._entities;
}

const TX_QUERY = `query Two($a: ID!, $b: ID!) { a: creditTransaction(id: $a) { id description } b: creditTransaction(id: $b) { id description } }`;

describe('tenancy of entity resolution (WIX_AUTH=forward)', () => {
  it('each tenant resolves only its own transactions via _entities on /subgraph; the other tenant’s ids resolve to null', async () => {
    const { demo, other } = harness.sandbox;
    const demoTxs = harness.sandbox.transactionsOf(demo.accountId).slice(0, 5);
    const otherTxs = harness.sandbox.transactionsOf(other.accountId).slice(0, 5);
    const ids = interleave(idsOf(demoTxs), idsOf(otherTxs));

    // Demo first: its transactions enter the shared cache (under demo's tenant only).
    const asDemo = await entities(demo, representations(ids));
    expect(asDemo).toEqual(
      ids.map((id) => {
        const tx = demoTxs.find((t) => t.id === id);
        return tx ? { id, description: tx.description ?? null } : null;
      }),
    );
    // Then, concurrently, the other tenant with the same representations: no cache or loader
    // entry of demo's may answer it.
    const [asOther, asDemoAgain] = await Promise.all([
      entities(other, representations(ids)),
      entities(demo, representations(ids)),
    ]);
    expect(asOther).toEqual(
      ids.map((id) => {
        const tx = otherTxs.find((t) => t.id === id);
        return tx ? { id, description: tx.description ?? null } : null;
      }),
    );
    expect(asDemoAgain).toEqual(asDemo);
  });

  it('a representation carrying tenant fields (accountId, wix-account-id) does not change whose transactions are read', async () => {
    const { demo, other } = harness.sandbox;
    const otherId = harness.sandbox.transactionsOf(other.accountId)[10]!.id;
    const result = await entities(demo, [
      {
        __typename: 'CreditTransaction',
        id: otherId,
        accountId: other.accountId,
        'wix-account-id': other.accountId,
        authorization: other.apiKey,
      },
    ]);
    expect(result).toEqual([null]);
  });

  it('each tenant resolves only its own transactions via creditTransaction on /graphql; the other tenant’s id is null', async () => {
    const { demo, other } = harness.sandbox;
    const demoId = harness.sandbox.transactionsOf(demo.accountId)[20]!.id;
    const otherId = harness.sandbox.transactionsOf(other.accountId)[20]!.id;
    const [asDemo, asOther] = await Promise.all(
      [demo, other].map((account) =>
        harness.graphql<{ a: EntityResult; b: EntityResult }, { a: string; b: string }>(
          TX_QUERY,
          { a: demoId, b: otherId },
          { headers: accountHeaders(account) },
        ),
      ),
    );
    expect(asDemo!.body.errors).toBeUndefined();
    expect(asDemo!.body.data).toEqual({ a: { id: demoId, description: expect.anything() }, b: null });
    expect(asOther!.body.errors).toBeUndefined();
    expect(asOther!.body.data).toEqual({ a: null, b: { id: otherId, description: expect.anything() } });
  });

  it('an account created later sees none of the seeded tenants’ transactions, and they none of its own', async () => {
    const fresh = harness.sandbox.createAccount({ history: 3 });
    const freshIds = idsOf(harness.sandbox.transactionsOf(fresh.accountId));
    const demoIds = idsOf(harness.sandbox.transactionsOf(harness.sandbox.demo.accountId)).slice(0, 3);
    const asFresh = await entities(fresh, representations([...freshIds, ...demoIds]));
    expect(asFresh.map((e) => e?.id ?? null)).toEqual([...freshIds, null, null, null]);
    const asDemo = await entities(harness.sandbox.demo, representations([...freshIds, ...demoIds]));
    expect(asDemo.map((e) => e?.id ?? null)).toEqual([null, null, null, ...demoIds]);
  });
});

describe('batching of direct _entities calls on /subgraph', () => {
  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])(
    'one _entities call with %i representations makes %i upstream query call(s) and keeps their order',
    async (n, calls) => {
      // A fresh account (nothing cached) whose history is mixed with unknown and foreign ids.
      const account = harness.sandbox.createAccount({ history: Math.ceil(n / 2) });
      const own = idsOf(harness.sandbox.transactionsOf(account.accountId));
      const foreign = idsOf(harness.sandbox.transactionsOf(harness.sandbox.other.accountId)).slice(
        0,
        Math.floor((n - own.length) / 2),
      );
      const unknown = unknownIds(n - own.length - foreign.length);
      const ids = interleave(own, unknown, foreign);
      expect(ids).toHaveLength(n);

      harness.sandbox.counters.reset();
      const result = await entities(account, representations(ids));
      expect(harness.sandbox.counters.get('query')).toBe(calls);
      expect(harness.sandbox.counters.get('get')).toBe(0);
      const ownSet = new Set(own);
      expect(result.map((e) => e?.id ?? null)).toEqual(ids.map((id) => (ownSet.has(id) ? id : null)));
    },
  );
});
