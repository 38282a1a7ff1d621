/** Every query end to end: HTTP → Apollo → resolvers → loaders → Wix client → sandbox. */
import {
  BalanceWidgetDocument,
  TransactionDetailDocument,
  TransactionHistoryDocument,
  type TransactionHistoryQuery,
} from '../../generated/graphql';
import { CursorCodec } from '../../src/reader/pagination/cursor-codec';
import { queryHash } from '../../src/reader/pagination/transaction-cursor';
import { tenantKey } from '../../src/domain/upstream-call';
import { startHarness, type GraphQLResponse, type Harness } from '../support/harness';

const CURSOR_SECRET = 'graphql-queries-test-cursor-secret-0123456789';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { cursorSecret: CURSOR_SECRET } });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const demoHistory = () => h.sandbox.transactionsOf(h.sandbox.demo.accountId);

describe('queries through the gateway', () => {
  it('serves the balance widget with available = periodic + top-up, in one upstream call', async () => {
    const res = await h.graphql(BalanceWidgetDocument, {});
    expect(res.status).toBe(200);
    const balance = res.body.data!.creditBalance;
    const upstream = h.sandbox.balanceOf(h.sandbox.demo.accountId);
    expect(balance.availableCredits).toBe(Number(upstream.available));
    expect(balance.periodicCredits.balance).toBe(Number(upstream.periodic));
    expect(balance.topUpCredits.balance).toBe(Number(upstream.topUp));
    expect(balance.breakdown[0]!.usageRules[0]).toMatchObject({ period: 'MONTH', cap: 250 });
    expect(h.sandbox.counters.get('balance')).toBe(1);
  });

  it('asks the balance upstream once however many fields and aliases select it', async () => {
    const res = await h.graphql(
      '{ a: creditBalance { availableCredits } b: creditBalance { topUpCredits { balance } } c: creditBalance { breakdown { subscriptionId } } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(h.sandbox.counters.get('balance')).toBe(1);
  });

  it('serves one transaction by id, with every field, and null for an unknown id', async () => {
    const tx = demoHistory()[3]!;
    const res = await h.graphql(TransactionDetailDocument, { id: tx.id });
    expect(res.body.data!.creditTransaction).toMatchObject({
      id: tx.id,
      revision: tx.revision,
      createdDate: new Date(tx.createdDate!).toISOString(),
      description: tx.description ?? null,
      amount: {
        credits: Number(tx.amount!.credits),
        cost: { amount: tx.amount!.cost!.amount, currencyCode: tx.amount!.cost!.currencyCode },
      },
    });
    const missing = await h.graphql(TransactionDetailDocument, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.body).toEqual({ data: { creditTransaction: null } });
  });

  it.each(['DESC', 'ASC'] as const)(
    'pages the history (%s) to the end with endCursor: no duplicate, no gap, one upstream call a page',
    async (order) => {
      const ids: string[] = [];
      let after: string | null | undefined = null;
      let pages = 0;
      for (;;) {
        const res: GraphQLResponse<TransactionHistoryQuery> = await h.graphql(TransactionHistoryDocument, {
          order,
          first: 45,
          after,
        });
        expect(res.body.errors).toBeUndefined();
        const conn = res.body.data!.creditTransactions;
        ids.push(...conn.edges.map((e) => e.node.id));
        pages += 1;
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      const expected = demoHistory().map((t) => t.id);
      expect(ids).toEqual(order === 'DESC' ? expected : [...expected].reverse());
      expect(h.sandbox.counters.get('query')).toBe(pages);
    },
  );

  it('resumes from a mid-page edge cursor without skipping or repeating', async () => {
    const first = await h.graphql(TransactionHistoryDocument, { first: 10 });
    const edges = first.body.data!.creditTransactions.edges;
    const resumed = await h.graphql(TransactionHistoryDocument, { first: 10, after: edges[4]!.cursor });
    const expected = demoHistory()
      .slice(5, 15)
      .map((t) => t.id);
    expect(resumed.body.data!.creditTransactions.edges.map((e) => e.node.id)).toEqual(expected);
  });

  it('filters by ids, externalRefIds, callerAppId and creation date', async () => {
    const history = demoHistory();
    const pick = history.slice(10, 13).map((t) => t.id);
    const byIds = await h.graphql(TransactionHistoryDocument, { filter: { ids: pick } });
    expect(byIds.body.data!.creditTransactions.edges.map((e) => e.node.id).sort()).toEqual([...pick].sort());

    const withRef = history.find((t) => t.externalRefId)!;
    const byRef = await h.graphql(TransactionHistoryDocument, { filter: { externalRefIds: [withRef.externalRefId!] } });
    expect(byRef.body.data!.creditTransactions.edges.every((e) => e.node.externalRefId === withRef.externalRefId)).toBe(
      true,
    );
    expect(byRef.body.data!.creditTransactions.edges.length).toBeGreaterThan(0);

    const app = history[0]!.callerAppId!;
    const byApp = await h.graphql(TransactionHistoryDocument, { filter: { callerAppId: app }, first: 100 });
    const appNodes = byApp.body.data!.creditTransactions.edges.map((e) => e.node);
    expect(appNodes.length).toBeGreaterThan(0);
    expect(appNodes.every((n) => n.callerAppId === app)).toBe(true);

    const after = history[50]!.createdDate!;
    const before = history[20]!.createdDate!;
    const byDate = await h.graphql(TransactionHistoryDocument, {
      filter: { createdAfter: after, createdBefore: before },
      first: 100,
    });
    const dates = byDate.body.data!.creditTransactions.edges.map((e) => Date.parse(e.node.createdDate!));
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => d > Date.parse(after) && d < Date.parse(before))).toBe(true);
  });

  it('serves nodes as well as edges', async () => {
    const res = await h.graphql('{ creditTransactions(first: 3) { nodes { id } edges { node { id } } } }');
    const conn = (
      res.body.data as { creditTransactions: { nodes: { id: string }[]; edges: { node: { id: string } }[] } }
    ).creditTransactions;
    expect(conn.nodes.map((n) => n.id)).toEqual(conn.edges.map((e) => e.node.id));
  });

  it.each([
    ['first over 100', 400, { first: 101 }, 'first'],
    ['first of 0', 400, { first: 0 }, 'first'],
    ['a cursor that is not one of ours', 200, { after: 'bm9wZQ' }, 'after'],
    ['more than 100 ids', 400, { filter: { ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) } }, 'filter.ids'],
    [
      'more than 100 externalRefIds',
      400,
      { filter: { externalRefIds: Array.from({ length: 101 }, (_, i) => `ref-${i}`) } },
      'filter.externalRefIds',
    ],
    ['an id that is not a GUID', 400, { filter: { ids: ['00000000-0000-4000-8000-000000000000', 'x'] } }, 'filter.ids'],
    ['an externalRefId that is not a GUID', 400, { filter: { externalRefIds: ['nope'] } }, 'filter.externalRefIds'],
    ['a callerAppId that is not a GUID', 400, { filter: { callerAppId: 'app' } }, 'filter.callerAppId'],
  ])(
    'answers %s with HTTP %i and BAD_USER_INPUT naming the field, and no upstream call',
    async (_name, status, variables, field) => {
      const res = await h.graphql(TransactionHistoryDocument, variables);
      expect(res.status).toBe(status);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(h.sandbox.counters.total()).toBe(0);
    },
  );

  it('rejects an over-limit first with 400 before any resolver runs: a sibling creditBalance makes no upstream call', async () => {
    const res = await h.graphql(
      '{ creditBalance { availableCredits } creditTransactions(first: 500) { nodes { id } } }',
    );
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(res.body.errors?.[0]?.extensions).not.toHaveProperty('http');
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('finds an over-limit creditTransactions argument through fragments, inline fragments and variables', async () => {
    const viaFragment = await h.graphql(
      'query Q($n: Int) { creditBalance { availableCredits } ...F } fragment F on Query { ... on Query { t: creditTransactions(first: $n) { nodes { id } } } }',
      { n: 101 },
    );
    expect(viaFragment.status).toBe(400);
    expect(viaFragment.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const ids = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    const viaVariable = await h.graphql(
      'query Q($f: CreditTransactionFilter) { ... { creditTransactions(filter: $f) { nodes { id } } } }',
      { f: { ids } },
    );
    expect(viaVariable.status).toBe(400);
    expect(viaVariable.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.ids' });
    expect(h.sandbox.counters.total()).toBe(0);
    const withinLimits = await h.graphql(
      'query Q($n: Int) { ...F } fragment F on Query { creditTransactions(first: $n) { nodes { id } } }',
      { n: 100 },
    );
    expect(withinLimits.status).toBe(200);
    expect(withinLimits.body.errors).toBeUndefined();
  });

  it('finds a transaction by its id written in upper case', async () => {
    const tx = demoHistory()[7]!;
    expect(tx.id).not.toBe(tx.id.toUpperCase());
    const res = await h.graphql(TransactionDetailDocument, { id: tx.id.toUpperCase() });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.creditTransaction).toMatchObject({ id: tx.id });
  });

  it('refuses an id that is not a GUID with 400 BAD_USER_INPUT on id: no resolver runs, so not even a sibling lookup asks upstream', async () => {
    const tx = demoHistory()[7]!;
    const res = await h.graphql(
      `{ known: creditTransaction(id: "${tx.id}") { id } bad: creditTransaction(id: "x") { id } }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.message).toBe('id must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b.');
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const viaVariable = await h.graphql(TransactionDetailDocument, { id: 'not-a-guid' });
    expect(viaVariable.status).toBe(400);
    expect(viaVariable.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('filters by ids in any letter case', async () => {
    const [a, b] = demoHistory();
    const res = await h.graphql(TransactionHistoryDocument, {
      first: 10,
      filter: { ids: [a!.id.toUpperCase(), b!.id] },
    });
    expect(res.body.errors).toBeUndefined();
    const ids = res.body.data!.creditTransactions.edges.map((e) => e.node.id);
    expect(ids.sort()).toEqual([a!.id, b!.id].sort());
  });

  it('refuses a filter value that is not a GUID with BAD_USER_INPUT naming its place in the list', async () => {
    const [a] = demoHistory();
    const res = await h.graphql(TransactionHistoryDocument, { first: 10, filter: { ids: [a!.id, 'not-a-guid'] } });
    expect(res.body.errors?.[0]?.message).toBe(
      'filter.ids[1] must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b.',
    );
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('refuses a cursor made for another createdAfter date', async () => {
    const history = demoHistory();
    const x = history[60]!.createdDate!;
    const y = history[80]!.createdDate!;
    const page = await h.graphql(TransactionHistoryDocument, { first: 5, filter: { createdAfter: x } });
    expect(page.body.errors).toBeUndefined();
    const cursor = page.body.data!.creditTransactions.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    const same = await h.graphql(TransactionHistoryDocument, { first: 5, filter: { createdAfter: x }, after: cursor });
    expect(same.body.errors).toBeUndefined();
    h.sandbox.counters.reset();
    const res = await h.graphql(TransactionHistoryDocument, { first: 5, filter: { createdAfter: y }, after: cursor });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('answers an authentic cursor whose upstream cursor the upstream refuses (expired) with BAD_USER_INPUT on after, not an internal error', async () => {
    // Only the holder of CURSOR_SECRET can make this: a client's edit of a cursor fails its MAC.
    const tenant = tenantKey({ authorization: h.sandbox.demo.apiKey, accountId: h.sandbox.demo.accountId });
    const after = new CursorCodec(CURSOR_SECRET).encode(
      { upstream: 'bogus', skip: 0 },
      { tenant, query: queryHash(undefined, 'DESC') },
    );
    const res = await h.graphql(TransactionHistoryDocument, { first: 5, after });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(h.sandbox.counters.get('query')).toBe(1);
  });

  it('refuses a cursor made for another filter', async () => {
    const page = await h.graphql(TransactionHistoryDocument, { first: 5 });
    const res = await h.graphql(TransactionHistoryDocument, {
      first: 5,
      order: 'ASC',
      after: page.body.data!.creditTransactions.pageInfo.endCursor,
    });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
