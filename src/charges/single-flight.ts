/**
 * Single flight in one process: concurrent requests under one key never run side by side. The
 * same input with the same credentials shares the running execution's outcome (or gets `unknown`
 * when its own deadline passes first). Anything else — another input, or other credentials, which
 * must prove their own access — waits for the running execution to finish, then runs on its own
 * and is judged by what that execution left.
 */
import { type Cancellation, whenAborted } from '../common/abortable';
import type { ChargeOutcome } from '../domain/credits';

const UNKNOWN: ChargeOutcome = { kind: 'unknown' };

/** Resolves with `promise`, or with `onAbort` as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: Cancellation, onAbort: T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = whenAborted(signal, () => resolve(onAbort));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/** Who is asking: outcomes are shared only between identical askers. */
export interface Asker {
  /** Digest of the caller's credentials. */
  tenant: string;
  /** The charge input's fingerprint. */
  fingerprint: string;
}

export class SingleFlight {
  private readonly running = new Map<string, Asker & { outcome: Promise<ChargeOutcome> }>();

  run(key: string, asker: Asker, signal: Cancellation, execute: () => Promise<ChargeOutcome>): Promise<ChargeOutcome> {
    const running = this.running.get(key);
    if (running) {
      if (running.fingerprint === asker.fingerprint && running.tenant === asker.tenant)
        return abortable(running.outcome, signal, UNKNOWN);
      const finished = running.outcome.then(
        () => undefined,
        () => undefined,
      );
      return abortable(
        finished.then(() => (signal.aborted ? UNKNOWN : this.run(key, asker, signal, execute))),
        signal,
        UNKNOWN,
      );
    }
    const outcome = execute().finally(() => this.running.delete(key));
    this.running.set(key, { ...asker, outcome });
    return outcome;
  }
}
