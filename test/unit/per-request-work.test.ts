/**
 * Work that is done once instead of per request keeps every behaviour: the one deadline per
 * request, request logging by config. The argument-limit verdict per document is checked over
 * a socket in test/integration/per-document-verdict.test.ts.
 */
import { AbortSource, RequestDeadline, whenAborted } from '../../src/common/abortable';
import { loadConfig } from '../../src/config';
import { createContext, type GatewayServices } from '../../src/graphql/context';
import type { ReadAccess } from '../../src/reader/credits-reader';

describe('RequestDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('arms no timer until something watches it', () => {
    const deadline = new RequestDeadline(1_000);
    expect(jest.getTimerCount()).toBe(0);
    void deadline.aborted;
    void deadline.aborted;
    expect(jest.getTimerCount()).toBe(1);
  });

  test('aborts with a TimeoutError when the deadline passes, counted from the request start', () => {
    const deadline = new RequestDeadline(1_000);
    jest.advanceTimersByTime(400);
    expect(deadline.aborted).toBe(false);
    jest.advanceTimersByTime(599);
    expect(deadline.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(deadline.aborted).toBe(true);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
  });

  test('a deadline first watched after it passed is already aborted, with a TimeoutError', () => {
    const deadline = new RequestDeadline(100);
    jest.advanceTimersByTime(150);
    expect(deadline.aborted).toBe(true);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
  });

  test('dispose removes the timer', () => {
    const deadline = new RequestDeadline(1_000);
    void deadline.aborted;
    deadline.dispose();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(2_000);
    expect(deadline.aborted).toBe(false);
  });
});

describe('whenAborted', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a deadline is watched without an AbortSignal: subscribers run once, after it has aborted', () => {
    const controllers = jest.spyOn(globalThis, 'AbortController');
    const deadline = new RequestDeadline(1_000);
    const seen: unknown[] = [];
    whenAborted(deadline, () => seen.push((deadline.reason as DOMException).name));
    const unsubscribe = whenAborted(deadline, () => seen.push('removed'));
    unsubscribe();
    expect(jest.getTimerCount()).toBe(1); // watching arms the timer
    jest.advanceTimersByTime(999);
    expect(deadline.aborted).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(seen).toEqual(['TimeoutError']);
    expect(deadline.aborted).toBe(true);
    // Made per request, an AbortController was what cost the CPU on Node 20.
    expect(controllers).not.toHaveBeenCalled();
    controllers.mockRestore();
  });

  test('an AbortSource calls its subscribers once, and a late subscriber never', () => {
    const source = new AbortSource();
    const reasons: unknown[] = [];
    whenAborted(source, () => reasons.push(source.reason));
    source.abort(new Error('gone'));
    source.abort(new Error('again'));
    whenAborted(source, () => reasons.push('late'));
    expect(reasons).toEqual([new Error('gone')]);
    expect(source.aborted).toBe(true);
  });

  test('a disposed deadline calls nobody', () => {
    const deadline = new RequestDeadline(1_000);
    const listener = jest.fn();
    whenAborted(deadline, listener);
    deadline.dispose();
    jest.advanceTimersByTime(2_000);
    expect(listener).not.toHaveBeenCalled();
  });

  test('an AbortSignal is listened to as an EventTarget', () => {
    const controller = new AbortController();
    const listener = jest.fn();
    const unsubscribe = whenAborted(controller.signal, listener);
    unsubscribe();
    whenAborted(controller.signal, listener);
    controller.abort();
    controller.abort();
    expect(listener).toHaveBeenCalledTimes(1);
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
