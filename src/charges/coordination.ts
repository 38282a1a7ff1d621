/**
 * What the charge service shares when several gateway replicas charge for one account: a lock
 * per key, so duplicates never run side by side. A holder whose send's fate is unknown keeps the
 * lock until that send's settle window closes, so no replica sends beside a pending commit.
 * In one process the in-flight map and the in-memory settle windows do this without a lock.
 */

/** A held lock on one key. */
export interface LockLease {
  /** Makes the lease last at least `ms` from now, while it is still ours; false once it was lost. */
  extend(ms: number): Promise<boolean>;
  /** Gives the lock up now, or keeps it `holdMs` more and lets it expire then. */
  release(holdMs: number): Promise<void>;
}

export interface KeyLock {
  /** Tries once to hold `key` for `ttlMs`: a lease, or null while another holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<LockLease | null>;
}

/**
 * The shared charge state could not be reached. Charges fail closed: nothing is sent, and the
 * client is told to retry (the outcome of earlier attempts stays with the upstream lookup).
 */
export class CoordinationUnavailableError extends Error {
  constructor(reason: string) {
    super(`Charge coordination store unavailable: ${reason}`);
    this.name = 'CoordinationUnavailableError';
  }
}
