/**
 * Upstream read collapsing (what Apollo Router calls query deduplication): identical reads in
 * flight for the same tenant share one upstream call. "Identical" is the same credentials and
 * context, operation, path and body, so a caller never receives an answer fetched with other
 * credentials.
 *
 * Read-your-writes: when a write of a tenant (a charge) completes in this process, that tenant's
 * in-flight reads stop taking joiners, so a read that starts afterwards sends its own call and
 * sees the write. Reads already joined keep their answer (they started before the write ended).
 *
 * Deadlines: the shared call runs under a signal of its own, aborted only when every caller
 * waiting for it has given up; each caller still stops waiting at its own deadline.
 */
import { AbortSource, whenAborted } from '../common/abortable';
import type { CallSignal } from '../domain/upstream-call';

export interface SharedRead<T> {
  promise: Promise<T>;
  controller: AbortSource;
  waiting: number;
}

export class ReadCollapser {
  private readonly tenants = new Map<string, Map<string, SharedRead<unknown>>>();

  /**
   * Runs `start` unless an identical read of this tenant is in flight, then waits for that one.
   * `onAbort` makes the error a caller gets when its own `signal` aborts first.
   */
  run<T>(
    tenant: string,
    key: string,
    signal: CallSignal | undefined,
    start: (signal: CallSignal) => Promise<T>,
    onAbort: () => Error,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(onAbort());
    let calls = this.tenants.get(tenant);
    let shared = calls?.get(key) as SharedRead<T> | undefined;
    if (!shared) {
      if (!calls) this.tenants.set(tenant, (calls = new Map()));
      shared = this.start(tenant, calls, key, start);
    }
    return this.join(tenant, key, shared, signal, onAbort);
  }

  /** A write of this tenant completed: reads starting from now on do not join earlier calls. */
  wrote(tenant: string): void {
    this.tenants.delete(tenant);
  }

  /** Reads in flight (for tests and the bench). */
  get inFlight(): number {
    let n = 0;
    for (const calls of this.tenants.values()) n += calls.size;
    return n;
  }

  private start<T>(
    tenant: string,
    calls: Map<string, SharedRead<unknown>>,
    key: string,
    start: (signal: CallSignal) => Promise<T>,
  ): SharedRead<T> {
    const controller = new AbortSource();
    let promise: Promise<T>;
    try {
      promise = start(controller);
    } catch (error) {
      promise = Promise.reject(error);
    }
    const shared: SharedRead<T> = { promise, controller, waiting: 0 };
    calls.set(key, shared as SharedRead<unknown>);
    const forget = () => this.forget(tenant, calls, key, shared as SharedRead<unknown>);
    shared.promise.then(forget, forget);
    return shared;
  }

  private forget(
    tenant: string,
    calls: Map<string, SharedRead<unknown>>,
    key: string,
    shared: SharedRead<unknown>,
  ): void {
    if (calls.get(key) !== shared) return;
    calls.delete(key);
    if (calls.size === 0 && this.tenants.get(tenant) === calls) this.tenants.delete(tenant);
  }

  private join<T>(
    tenant: string,
    key: string,
    shared: SharedRead<T>,
    signal: CallSignal | undefined,
    onAbort: () => Error,
  ): Promise<T> {
    shared.waiting += 1;
    if (!signal) return shared.promise; // a caller without a deadline keeps the call wanted
    return new Promise<T>((resolve, reject) => {
      let gaveUp = false;
      const abort = () => {
        gaveUp = true;
        shared.waiting -= 1;
        if (shared.waiting === 0) {
          // Nobody waits any more: no new caller may join a call being cancelled.
          const calls = this.tenants.get(tenant);
          if (calls) this.forget(tenant, calls, key, shared as SharedRead<unknown>);
          shared.controller.abort(signal.reason);
        }
        reject(onAbort());
      };
      const unsubscribe = whenAborted(signal, abort);
      shared.promise.then(
        (value) => {
          if (gaveUp) return;
          unsubscribe();
          shared.waiting -= 1;
          resolve(value);
        },
        (error: unknown) => {
          if (gaveUp) return;
          unsubscribe();
          shared.waiting -= 1;
          reject(error);
        },
      );
    });
  }
}
