/**
 * What the charge service shares when several gateway replicas charge for one account: a lock
 * per key, so duplicates never run side by side. A holder whose send's fate is unknown keeps the
 * lock until that send's settle window closes, so no replica sends beside a pending commit.
 * In one process the in-flight map and the in-memory settle windows do this without a lock.
 */

/** Gives the lock up now, or keeps it for `holdMs` more and lets it expire then. */
export type ReleaseLock = (holdMs: number) => Promise<void>;

export interface KeyLock {
  /** Tries once to hold `key` for at most `ttlMs`: a release function, or null while another holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<ReleaseLock | null>;
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
