/**
 * Coordination across replicas: a lease on a charge key, taken from a `KeyLock` (Redis), so no
 * two replicas charge one key side by side. While it waits for the key, a request polls; a holder
 * extends its lease before every send so it cannot lapse while the send may still commit, and a
 * holder whose send's fate is unknown keeps the key until that send's settle window closes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { withSpan } from '../telemetry/tracing';
import { CoordinationUnavailableError, type KeyLock, type LockLease } from './coordination';

export interface KeyLeaseOptions {
  /** How long the key is first held for. */
  ttlMs: number;
  /** Before each send (and after an unanswered one) the lease is made to last at least this long. */
  sendLeaseMs: number;
}

export class KeyLease {
  private constructor(
    private readonly lease: LockLease,
    private readonly options: KeyLeaseOptions,
  ) {}

  /**
   * Takes the key, waiting while another replica holds it. Null when the deadline passed first.
   * A store that cannot be reached fails the charge closed (CoordinationUnavailableError).
   */
  static async acquire(lock: KeyLock, key: string, options: KeyLeaseOptions, signal: AbortSignal): Promise<KeyLease | null> {
    for (;;) {
      let lease: LockLease | null;
      try {
        lease = await withSpan('charge.lock', {}, () => lock.tryAcquire(key, options.ttlMs));
      } catch (error) {
        if (error instanceof CoordinationUnavailableError) throw error;
        throw new CoordinationUnavailableError(error instanceof Error ? error.message : String(error));
      }
      if (lease) return new KeyLease(lease, options);
      // Another replica is charging this key: wait for it, then decide from what it left.
      try {
        await sleep(25 + Math.random() * 50, undefined, { signal });
      } catch {
        return null;
      }
    }
  }

  /** Just before a send: the lease lasts through the send and its settle window. False once lost. */
  holdForSend(): Promise<boolean> {
    return this.extend(this.options.sendLeaseMs);
  }

  /** After a send of unknown fate: keep the key at least as long as the send may still commit. */
  async heldAfterUnknownSend(): Promise<void> {
    await this.extend(this.options.sendLeaseMs);
  }

  /** Gives the key up now, or keeps it `holdMs` more (an open settle window) and lets it expire. */
  async release(holdMs: number): Promise<void> {
    await this.lease.release(holdMs).catch(() => undefined); // it expires on its own
  }

  private async extend(ms: number): Promise<boolean> {
    try {
      return await this.lease.extend(ms);
    } catch {
      return false;
    }
  }
}
