/**
 * A real federated graph: @apollo/gateway (with Router-style header propagation) in front of the
 * credits gateway's /subgraph and the ai-actions consumer subgraph, all over loopback HTTP.
 * The credits subgraph resolves references through the request's batched transactionById
 * loader, with the caller's forwarded credentials.
 */
import { accountHeaders } from '../support/accounts';
import { startHarness, type Harness } from '../support/harness';
import type { SandboxAccount } from '../../src/sandbox';
import {
  idsOf,
  interleave,
  startConsumerSubgraph,
  startFederatedGateway,
  unknownIds,
  type ConsumerSubgraph,
  type FederatedGateway,
} from './helpers';

interface ActionsData {
  aiActions: {
    id: string;
    prompt: string;
    creditTransaction: { id: string; description: string | null; amount: { credits: number } | null } | null;
  }[];
}

const ACTIONS_QUERY = `{ aiActions { id prompt creditTransaction { id description amount { credits } } } }`;

let harness: Harness;
let consumer: ConsumerSubgraph;
let router: FederatedGateway;
/** Upstream `query` calls per reference count, reported by the last test. */
const measured: Record<number, number> = {};

beforeAll(async () => {
  harness = await startHarness({ credentials: 'forward' });
  consumer = await startConsumerSubgraph();
  router = await startFederatedGateway(`${harness.url}/subgraph`, consumer.url);
});

afterAll(async () => {
  await router?.close();
  await consumer?.close();
  await harness?.close();
});

/** Serves one action per id from the consumer, runs the query through the router, counts upstream calls. */
async function queryActions(account: SandboxAccount, transactionIds: string[]) {
  consumer.actions = transactionIds.map((id, i) => ({
    id: `action-${i}`,
    prompt: `prompt ${i}`,
    creditTransactionId: id,
  }));
  harness.sandbox.counters.reset();
  const res = await router.query<ActionsData>(ACTIONS_QUERY, accountHeaders(account));
  return { res, queryCalls: harness.sandbox.counters.get('query'), getCalls: harness.sandbox.counters.get('get') };
}

describe('federated reference resolution through @apollo/gateway', () => {
  it('resolves 250 references in one _entities fetch with exactly 3 upstream query calls (0 get calls), in order, null entities for unknown and other-account ids', async () => {
    const { demo, other } = harness.sandbox;
    const own = idsOf(harness.sandbox.transactionsOf(demo.accountId)).slice(0, 150);
    const foreign = idsOf(harness.sandbox.transactionsOf(other.accountId)).slice(0, 50);
    const unknown = unknownIds(50);
    const ownSet = new Set(own);
    const ids = interleave(own, unknown, foreign);
    expect(ids).toHaveLength(250);

    const { res, queryCalls, getCalls } = await queryActions(demo, ids);
    measured[250] = queryCalls;
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(queryCalls).toBe(3);
    expect(getCalls).toBe(0);

    // The router made one _entities fetch with all 250 representations to the credits subgraph;
    // it answered them in order, null for the unknown and the other account's ids.
    const byId = new Map(harness.sandbox.transactionsOf(demo.accountId).map((tx) => [tx.id, tx]));
    const entityFetches = router.fetches.filter((f) => f.url.endsWith('/subgraph'));
    expect(entityFetches).toHaveLength(1);
    expect(entityFetches[0]!.query).toContain('_entities');
    expect(entityFetches[0]!.errors).toBeUndefined();
    const entities = entityFetches[0]!.data?._entities as ({ description?: string | null } | null)[];
    expect(entities).toHaveLength(250);
    expect(entities.map((e) => (e === null ? null : e.description))).toEqual(
      ids.map((id) => (ownSet.has(id) ? (byId.get(id)?.description ?? null) : null)),
    );

    // In the merged answer, order is kept; an unresolved reference keeps only the consumer's id,
    // every credits-owned field of it is null (Federation semantics: the consumer owns the link).
    const actions = res.data!.aiActions;
    expect(actions.map((a) => a.id)).toEqual(ids.map((_, i) => `action-${i}`));
    actions.forEach((action, i) => {
      const id = ids[i]!;
      expect(action.creditTransaction).toEqual(
        ownSet.has(id)
          ? { id, description: byId.get(id)?.description ?? null, amount: { credits: expect.any(Number) } }
          : { id, description: null, amount: null },
      );
    });
    expect(actions.filter((a) => a.creditTransaction?.amount != null)).toHaveLength(150);
  });

  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
  ])('resolves %i reference(s) through the router with %i upstream query call(s)', async (n, calls) => {
    // A fresh account: none of its transactions is in the shared cache yet.
    const account = harness.sandbox.createAccount({ history: n });
    const ids = idsOf(harness.sandbox.transactionsOf(account.accountId));
    expect(ids).toHaveLength(n);
    const { res, queryCalls, getCalls } = await queryActions(account, ids);
    measured[n] = queryCalls;
    expect(res.errors).toBeUndefined();
    expect(res.data!.aiActions.map((a) => a.creditTransaction?.id)).toEqual(ids);
    expect(queryCalls).toBe(calls);
    expect(getCalls).toBe(0);
  });

  it('a repeat of the same references within the cache reach makes no upstream call', async () => {
    const account = harness.sandbox.createAccount({ history: 120 });
    const ids = idsOf(harness.sandbox.transactionsOf(account.accountId));
    const first = await queryActions(account, ids);
    expect(first.queryCalls).toBe(2);
    const repeat = await queryActions(account, ids);
    expect(repeat.res.data!.aiActions.map((a) => a.creditTransaction?.id)).toEqual(ids);
    expect(repeat.queryCalls).toBe(0);
  });

  it('without forwarded credentials the credits subgraph answers UNAUTHENTICATED and makes no upstream call', async () => {
    const ids = idsOf(harness.sandbox.transactionsOf(harness.sandbox.demo.accountId)).slice(0, 3);
    consumer.actions = ids.map((id, i) => ({ id: `action-${i}`, prompt: `p${i}`, creditTransactionId: id }));
    harness.sandbox.counters.reset();
    const res = await router.query<ActionsData>(ACTIONS_QUERY, {});
    expect(res.data!.aiActions.map((a) => a.creditTransaction)).toEqual(
      ids.map((id) => ({ id, description: null, amount: null })),
    );
    const codes = (res.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  afterAll(() => {
    // Measured upstream `query` calls per number of references in one operation.
    process.stdout.write(`federation batching (references → upstream query calls): ${JSON.stringify(measured)}\n`);
  });
});
