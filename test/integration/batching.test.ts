/** Batching, counted on the sandbox's request counters. */
import { DEFAULT_LIMITS } from '../../src/config';
import { TransactionHistoryDocument } from '../../generated/graphql';
import { accountHeaders, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ids = () => h.sandbox.transactionsOf(h.sandbox.demo.accountId).map((t) => t.id);

/** Each test uses ids no earlier test touched: the shared cache would otherwise answer. */
let offset = 0;
function freshIds(n: number): string[] {
  const picked = ids().slice(offset, offset + n);
  offset += n;
  expect(picked).toHaveLength(n);
  return picked;
}

beforeEach(() => h.sandbox.counters.reset());

describe('upstream batching', () => {
  it('answers 15 aliased creditTransaction lookups of distinct ids with exactly 1 upstream call', async () => {
    const picked = freshIds(15);
    const query = `{ ${picked.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id amount { credits } }`).join(' ')} }`;
    const res = await h.graphql(query);
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data as Record<string, { id: string } | null>;
    expect(picked.map((_, i) => data[`t${i}`]?.id)).toEqual(picked);
    expect(h.sandbox.counters.snapshot()).toEqual({ balance: 0, charge: 0, get: 0, query: 1 });
  });

  it('asks upstream once for the same id asked twice', async () => {
    const [id] = freshIds(1);
    const res = await h.graphql(
      `{ a: creditTransaction(id: "${id}") { id } b: creditTransaction(id: "${id}") { description } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(h.sandbox.counters.get('query')).toBe(1);
  });

  it('makes no further upstream call for lookups of the 100 ids of a page just served (primed loader and cache)', async () => {
    const wide = await startHarnessWithAliases(200);
    try {
      const page = await wide.graphql(TransactionHistoryDocument, { first: 100, order: 'ASC' });
      expect(page.body.errors).toBeUndefined();
      expect(wide.sandbox.counters.get('query')).toBe(1);
      wide.sandbox.counters.reset();
      const seen = page.body.data!.creditTransactions.edges.map((e) => e.node.id);
      expect(seen).toHaveLength(100);
      const res = await wide.graphql(
        `{ ${seen.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id amount { credits } }`).join(' ')} }`,
      );
      expect(res.body.errors).toBeUndefined();
      expect(Object.keys(res.body.data as object)).toHaveLength(100);
      expect(wide.sandbox.counters.total()).toBe(0);
    } finally {
      await wide.close();
    }
  });

  it("never serves one tenant's cached transaction to another: the second tenant goes upstream and gets null", async () => {
    const forward = await startHarness({ credentials: 'forward' });
    try {
      const { demo, other } = forward.sandbox;
      const id = forward.sandbox.transactionsOf(demo.accountId)[0]!.id;
      const asDemo = await forward.graphql(`{ creditTransaction(id: "${id}") { id } }`, undefined, {
        headers: accountHeaders(demo),
      });
      expect(asDemo.body).toEqual({ data: { creditTransaction: { id } } });
      forward.sandbox.counters.reset();
      const asOther = await forward.graphql(`{ creditTransaction(id: "${id}") { id } }`, undefined, {
        headers: accountHeaders(other),
      });
      expect(asOther.body).toEqual({ data: { creditTransaction: null } });
      expect(forward.sandbox.counters.get('query')).toBe(1);
      // The same key naming the demo account is refused upstream, not answered from the demo cache.
      const spoofed = await forward.graphql(`{ creditTransaction(id: "${id}") { id } }`, undefined, {
        headers: { authorization: other.apiKey, 'wix-account-id': demo.accountId },
      });
      expect(spoofed.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await forward.close();
    }
  });

  it('splits 150 distinct lookups into 2 upstream calls (⌈N/100⌉)', async () => {
    const picked = freshIds(150);
    const res = await h.graphql(
      `{ ${picked.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id }`).join(' ')} }`,
      undefined,
    );
    // 150 aliases exceed the default alias limit: this test raises it through its own gateway below.
    expect(res.status).toBe(400);
    const wide = await startHarnessWithAliases(200);
    try {
      const ok = await wide.graphql(
        `{ ${picked.map((id, i) => `t${i}: creditTransaction(id: "${id}") { id }`).join(' ')} }`,
      );
      expect(ok.body.errors).toBeUndefined();
      expect(wide.sandbox.counters.get('query')).toBe(2);
    } finally {
      await wide.close();
    }
  });
});

// Wide documents: the alias and cost limits both raised to `maxAliases` (each aliased lookup costs 1),
// the field limit to room for a few fields under each.
async function startHarnessWithAliases(maxAliases: number): Promise<Harness> {
  const harness = await startHarness({
    config: {
      limits: {
        ...DEFAULT_LIMITS,
        maxDepth: 12,
        maxAliases,
        maxFields: 4 * maxAliases,
        maxTokens: 5_000,
        maxBodyBytes: 64 * 1024,
        maxCost: maxAliases,
      },
    },
  });
  harness.sandbox.counters.reset();
  return harness;
}
