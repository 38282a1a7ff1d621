/** ReadCollapser on its own: sharing, read-your-writes and per-caller deadlines. */
import type { CallSignal } from '../../src/domain/upstream-call';
import { ReadCollapser } from '../../src/wix/read-collapser';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const timeoutError = () => new Error('deadline');

describe('ReadCollapser', () => {
  test('identical reads in flight share one call; the next read after it settled starts another', async () => {
    const collapser = new ReadCollapser();
    const upstream = deferred<number>();
    const start = jest.fn(() => upstream.promise);
    const a = collapser.run('t', 'k', undefined, start, timeoutError);
    const b = collapser.run('t', 'k', undefined, start, timeoutError);
    expect(start).toHaveBeenCalledTimes(1);
    upstream.resolve(5);
    await expect(Promise.all([a, b])).resolves.toEqual([5, 5]);
    await collapser.run('t', 'k', undefined, () => Promise.resolve(6), timeoutError);
    expect(collapser.inFlight).toBe(0);
  });

  test('different keys or tenants do not share', () => {
    const collapser = new ReadCollapser();
    const start = jest.fn(() => new Promise<number>(() => undefined));
    void collapser.run('t', 'k1', undefined, start, timeoutError);
    void collapser.run('t', 'k2', undefined, start, timeoutError);
    void collapser.run('u', 'k1', undefined, start, timeoutError);
    expect(start).toHaveBeenCalledTimes(3);
  });

  test('after a write of the tenant, a new read does not join a call sent before it', async () => {
    const collapser = new ReadCollapser();
    const older = deferred<string>();
    const first = collapser.run('t', 'k', undefined, () => older.promise, timeoutError);
    collapser.wrote('t');
    const fresh = jest.fn(() => Promise.resolve('after the write'));
    await expect(collapser.run('t', 'k', undefined, fresh, timeoutError)).resolves.toBe('after the write');
    expect(fresh).toHaveBeenCalledTimes(1);
    older.resolve('before the write');
    await expect(first).resolves.toBe('before the write');
  });

  test('a caller whose deadline passes stops waiting; the others still get the answer', async () => {
    const collapser = new ReadCollapser();
    const upstream = deferred<number>();
    let sharedSignal: CallSignal | undefined;
    const start = (signal: CallSignal) => {
      sharedSignal = signal;
      return upstream.promise;
    };
    const early = new AbortController();
    const late = new AbortController();
    const a = collapser.run('t', 'k', early.signal, start, timeoutError);
    const b = collapser.run('t', 'k', late.signal, start, timeoutError);
    early.abort();
    await expect(a).rejects.toThrow('deadline');
    expect(sharedSignal?.aborted).toBe(false);
    upstream.resolve(9);
    await expect(b).resolves.toBe(9);
  });

  test('when every caller has given up, the shared call is aborted and no new caller joins it', async () => {
    const collapser = new ReadCollapser();
    let sharedSignal: CallSignal | undefined;
    const caller = new AbortController();
    const a = collapser.run(
      't',
      'k',
      caller.signal,
      (signal) => {
        sharedSignal = signal;
        return new Promise<number>(() => undefined);
      },
      timeoutError,
    );
    caller.abort();
    await expect(a).rejects.toThrow('deadline');
    expect(sharedSignal?.aborted).toBe(true);
    const next = jest.fn(() => Promise.resolve(1));
    await expect(collapser.run('t', 'k', undefined, next, timeoutError)).resolves.toBe(1);
    expect(next).toHaveBeenCalledTimes(1);
  });

  test('a failure reaches every caller and is not remembered', async () => {
    const collapser = new ReadCollapser();
    const upstream = deferred<number>();
    const a = collapser.run('t', 'k', new AbortController().signal, () => upstream.promise, timeoutError);
    const b = collapser.run('t', 'k', undefined, () => upstream.promise, timeoutError);
    upstream.reject(new Error('503'));
    await expect(a).rejects.toThrow('503');
    await expect(b).rejects.toThrow('503');
    expect(collapser.inFlight).toBe(0);
  });
});
