/**
 * Work done once per document instead of per request keeps every behaviour, through a real
 * gateway and sandbox (moved from the unit layer: it needs sockets): the argument-limit verdict
 * remembered per document, and no request deadline timer left behind.
 */
import { startHarness, type Harness } from '../support/harness';

describe('argument-limit verdict per document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test('a document whose limit depends on variables is checked on every request', async () => {
    const query = 'query Q($n: Int) { creditTransactions(first: $n) { nodes { id } } }';
    expect((await h.graphql(query, { n: 2 })).status).toBe(200);
    const over = await h.graphql(query, { n: 101 });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0].extensions?.field).toBe('first');
    expect((await h.graphql(query, { n: 3 })).status).toBe(200);
  });

  test('a document without a limited field keeps answering after its verdict is remembered', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await h.graphql('{ creditBalance { availableCredits } }');
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
  });

  test('the request deadline timer is gone once the response is sent', async () => {
    // Counted against the process's own timers before the requests (their number differs between
    // Node versions): a per-request timer left behind would add one per request.
    const activeTimers = (): number =>
      (process as unknown as { getActiveResourcesInfo(): string[] })
        .getActiveResourcesInfo()
        .filter((r) => r === 'Timeout').length;
    const before = activeTimers();
    const requests = 30;
    for (let i = 0; i < requests; i++) {
      const res = await h.graphql('{ creditBalance { availableCredits } }');
      expect(res.status).toBe(200);
    }
    expect(activeTimers() - before).toBeLessThan(requests / 3);
  });
});
