/** Every query end to end: HTTP → Apollo → resolvers → loaders → Wix client → sandbox. */
import { BalanceWidgetDocument, TransactionDetailDocument, TransactionHistoryDocument, type TransactionHistoryQuery } from '../generated/operations';
import { startHarness, type GraphQLResponse, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
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
    const res = await h.graphql('{ a: creditBalance { availableCredits } b: creditBalance { topUpCredits { balance } } c: creditBalance { breakdown { subscriptionId } } }');
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
      amount: { credits: Number(tx.amount!.credits), cost: { amount: tx.amount!.cost!.amount, currencyCode: tx.amount!.cost!.currencyCode } },
    });
    const missing = await h.graphql(TransactionDetailDocument, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.body).toEqual({ data: { creditTransaction: null } });
  });

  it.each(['DESC', 'ASC'] as const)('pages the history (%s) to the end with endCursor: no duplicate, no gap, one upstream call a page', async (order) => {
    const ids: string[] = [];
    let after: string | null | undefined = null;
    let pages = 0;
    for (;;) {
      const res: GraphQLResponse<TransactionHistoryQuery> = await h.graphql(TransactionHistoryDocument, { order, first: 45, after });
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
  });

  it('resumes from a mid-page edge cursor without skipping or repeating', async () => {
    const first = await h.graphql(TransactionHistoryDocument, { first: 10 });
    const edges = first.body.data!.creditTransactions.edges;
    const resumed = await h.graphql(TransactionHistoryDocument, { first: 10, after: edges[4]!.cursor });
    const expected = demoHistory().slice(5, 15).map((t) => t.id);
    expect(resumed.body.data!.creditTransactions.edges.map((e) => e.node.id)).toEqual(expected);
  });

  it('filters by ids, externalRefIds, callerAppId and creation date', async () => {
    const history = demoHistory();
    const pick = history.slice(10, 13).map((t) => t.id);
    const byIds = await h.graphql(TransactionHistoryDocument, { filter: { ids: pick } });
    expect(byIds.body.data!.creditTransactions.edges.map((e) => e.node.id).sort()).toEqual([...pick].sort());

    const withRef = history.find((t) => t.externalRefId)!;
    const byRef = await h.graphql(TransactionHistoryDocument, { filter: { externalRefIds: [withRef.externalRefId!] } });
    expect(byRef.body.data!.creditTransactions.edges.every((e) => e.node.externalRefId === withRef.externalRefId)).toBe(true);
    expect(byRef.body.data!.creditTransactions.edges.length).toBeGreaterThan(0);

    const app = history[0]!.callerAppId!;
    const byApp = await h.graphql(TransactionHistoryDocument, { filter: { callerAppId: app }, first: 100 });
    const appNodes = byApp.body.data!.creditTransactions.edges.map((e) => e.node);
    expect(appNodes.length).toBeGreaterThan(0);
    expect(appNodes.every((n) => n.callerAppId === app)).toBe(true);

    const after = history[50]!.createdDate!;
    const before = history[20]!.createdDate!;
    const byDate = await h.graphql(TransactionHistoryDocument, { filter: { createdAfter: after, createdBefore: before }, first: 100 });
    const dates = byDate.body.data!.creditTransactions.edges.map((e) => Date.parse(e.node.createdDate!));
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => d > Date.parse(after) && d < Date.parse(before))).toBe(true);
  });

  it('serves nodes as well as edges', async () => {
    const res = await h.graphql('{ creditTransactions(first: 3) { nodes { id } edges { node { id } } } }');
    const conn = (res.body.data as { creditTransactions: { nodes: { id: string }[]; edges: { node: { id: string } }[] } }).creditTransactions;
    expect(conn.nodes.map((n) => n.id)).toEqual(conn.edges.map((e) => e.node.id));
  });

  it.each([
    ['first over 100', { first: 101 }, 'first'],
    ['first of 0', { first: 0 }, 'first'],
    ['a cursor that is not one of ours', { after: 'bm9wZQ' }, 'after'],
    ['more than 100 ids', { filter: { ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) } }, 'filter.ids'],
  ])('answers %s with BAD_USER_INPUT naming the field and no upstream call', async (_name, variables, field) => {
    const res = await h.graphql(TransactionHistoryDocument, variables);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('refuses a cursor made for another filter', async () => {
    const page = await h.graphql(TransactionHistoryDocument, { first: 5 });
    const res = await h.graphql(TransactionHistoryDocument, { first: 5, order: 'ASC', after: page.body.data!.creditTransactions.pageInfo.endCursor });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
