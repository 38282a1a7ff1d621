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

describe('whenAborted', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("a deadline's signal calls its subscribers directly, once, after it has aborted", () => {
    const deadline = new RequestDeadline(1_000);
    const { signal } = deadline;
    const addEventListener = jest.spyOn(signal, 'addEventListener');
    const seen: boolean[] = [];
    whenAborted(signal, () => seen.push(signal.aborted));
    const unsubscribe = whenAborted(signal, () => seen.push(false));
    unsubscribe();
    // The EventTarget listener per upstream call was what cost the CPU on Node 20.
    expect(addEventListener).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    jest.advanceTimersByTime(1_000);
    expect(seen).toEqual([true]);
  });

  test('an AbortSource calls its subscribers when aborted, with the reason on its signal', () => {
    const source = new AbortSource();
    const reasons: unknown[] = [];
    whenAborted(source.signal, () => reasons.push(source.signal.reason));
    source.abort(new Error('gone'));
    source.abort(new Error('again'));
    expect(reasons).toEqual([new Error('gone')]);
    expect(source.signal.aborted).toBe(true);
  });

  test('a disposed deadline calls nobody', () => {
    const deadline = new RequestDeadline(1_000);
    const listener = jest.fn();
    whenAborted(deadline.signal, listener);
    deadline.dispose();
    jest.advanceTimersByTime(2_000);
    expect(listener).not.toHaveBeenCalled();
  });

  test('any other signal is listened to as an EventTarget', () => {
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
