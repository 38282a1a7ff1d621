/**
 * Coordination across replicas: a lease on a charge key, taken from a `KeyLock` (Redis), so no
 * two replicas charge one key side by side.
 *  - Until a send, the key is held only briefly (`holdMs`) and renewed while this process lives:
 *    a replica that dies having sent nothing blocks the key for at most `holdMs`.
 *  - Just before every send the lease is extended to `sendLeaseMs` (an attempt's timeout, the
 *    settle time and a margin): a replica that dies mid-send keeps the key until that send can
 *    no longer commit, so no other replica (and no restarted one) sends beside it.
 *  - After a send of unknown fate the lease is extended again, and on release it is kept until
 *    the send's settle window closes.
 * Renewals only ever lengthen a lease, and only while it is still ours; once lost it stays lost
 * (a new holder may have looked the key up and sent since), so nothing more is sent under it.
 * A request waiting for a key held elsewhere polls until its deadline.
 */
import type { Cancellation } from '../common/abortable';
import { waitUnlessAborted } from '../common/backoff';
import { withSpan } from '../telemetry/tracing';
import { CoordinationUnavailableError, type KeyLock, type LockLease } from './coordination';

export interface KeyLeaseOptions {
  /** How long the key is held between renewals until a send (renewed every third of it). */
  holdMs: number;
  /** Before each send (and after an unanswered one) the lease is made to last at least this long. */
  sendLeaseMs: number;
  /** While another replica holds the key, it is tried again after pollMs on average (uniform in [½, 1½]·pollMs). */
  pollMs: number;
}

export class KeyLease {
  private lost = false;
  private readonly renewal: NodeJS.Timeout;

  private constructor(
    private readonly lease: LockLease,
    private readonly options: KeyLeaseOptions,
  ) {
    this.renewal = setInterval(() => void this.extend(options.holdMs), Math.max(1, Math.floor(options.holdMs / 3)));
    this.renewal.unref();
  }

  /**
   * Takes the key, waiting while another replica holds it. Null when the deadline passed first.
   * A store that cannot be reached fails the charge closed (CoordinationUnavailableError).
   */
  static async acquire(
    lock: KeyLock,
    key: string,
    options: KeyLeaseOptions,
    signal: Cancellation,
  ): Promise<KeyLease | null> {
    for (;;) {
      let lease: LockLease | null;
      try {
        lease = await withSpan('charge.lock', {}, () => lock.tryAcquire(key, options.holdMs));
      } catch (error) {
        if (error instanceof CoordinationUnavailableError) throw error;
        throw new CoordinationUnavailableError(error instanceof Error ? error.message : String(error));
      }
      if (lease) return new KeyLease(lease, options);
      // Another replica is charging this key: wait for it, then decide from what it left.
      // Jittered, so waiters on one key do not all ask at once.
      if (!(await waitUnlessAborted(options.pollMs * (0.5 + Math.random()), signal))) return null;
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
    clearInterval(this.renewal);
    await this.lease.release(holdMs).catch(() => undefined); // it expires on its own
  }

  private async extend(ms: number): Promise<boolean> {
    if (this.lost) return false;
    try {
      if (!(await this.lease.extend(ms))) this.lost = true;
    } catch {
      // Unknown whether it was extended: not lost yet, but no send may rely on it.
      return false;
    }
    return !this.lost;
  }
}
