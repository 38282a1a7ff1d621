/**
 * Work that is done once instead of per request keeps every behaviour: the one deadline per
 * request, request logging by config. The argument-limit verdict per document is checked over
 * a socket in test/integration/per-document-verdict.test.ts.
 */
import { RequestDeadline } from '../../src/common/abortable';
import { loadConfig } from '../../src/config';
import { createContext, type GatewayServices } from '../../src/graphql/context';
import type { ReadAccess } from '../../src/reader/credits-reader';

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
