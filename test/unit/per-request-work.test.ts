/**
 * Work that is done once instead of per request keeps every behaviour: the one deadline per
 * request, the argument-limit verdict remembered per document, request logging by config.
 */
import { RequestDeadline } from '../../src/common/abortable';
import { loadConfig } from '../../src/config';
import { createContext, type GatewayServices } from '../../src/graphql/context';
import type { ReadAccess } from '../../src/reader/credits-reader';
import { startHarness, type Harness } from '../support/harness';

describe('RequestDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('arms no timer until something asks for the signal', () => {
    const deadline = new RequestDeadline(1_000);
    expect(jest.getTimerCount()).toBe(0);
    void deadline.signal;
    void deadline.signal;
    expect(jest.getTimerCount()).toBe(1);
  });

  test('aborts with a TimeoutError when the deadline passes, counted from the request start', () => {
    const deadline = new RequestDeadline(1_000);
    jest.advanceTimersByTime(400);
    const { signal } = deadline;
    jest.advanceTimersByTime(599);
    expect(signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  test('a signal asked for after the deadline is already aborted', () => {
    const deadline = new RequestDeadline(100);
    jest.advanceTimersByTime(150);
    expect(deadline.signal.aborted).toBe(true);
  });

  test('dispose removes the timer', () => {
    const deadline = new RequestDeadline(1_000);
    const { signal } = deadline;
    deadline.dispose();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(2_000);
    expect(signal.aborted).toBe(false);
  });
});

describe('request context', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("an upstream call's options arm the deadline only when the call reads the signal", () => {
    const services = {} as GatewayServices;
    const credentials = { authorization: 'key', accountId: 'acc' };
    const ctx = createContext(services, { kind: 'server', credentials }, { headers: {}, deadlineMs: 1_000 });
    const call = (ctx as unknown as ReadAccess).call(); // what a cache-answered lookup asks for
    expect(call).toMatchObject({ credentials, tenant: expect.any(String) });
    expect(jest.getTimerCount()).toBe(0);
    expect(call.signal.aborted).toBe(false);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1_000);
    expect(call.signal.aborted).toBe(true);
  });
});

describe('request logging and read collapsing configuration', () => {
  test('LOG_REQUESTS defaults to on in development and off in production', () => {
    expect(loadConfig({}).logRequests).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true' }).logRequests).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true', LOG_REQUESTS: 'true' }).logRequests).toBe(true);
  });

  test('COLLAPSE_READS defaults to on', () => {
    expect(loadConfig({}).collapseReads).toBe(true);
    expect(loadConfig({ COLLAPSE_READS: 'false' }).collapseReads).toBe(false);
  });
});

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
