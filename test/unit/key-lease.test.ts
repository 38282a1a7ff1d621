/** The replica lease on a charge key, against an in-memory KeyLock with a clock of its own. */
import type { KeyLock, LockLease } from '../../src/charges/coordination';
import { KeyLease } from '../../src/charges/key-lease';
import { delay } from '../support/time';

/** One key's lock: who holds it and until when (ms on performance.now()). */
class FakeLock implements KeyLock {
  holder: string | null = null;
  until = 0;
  extensions: number[] = [];
  private tokens = 0;

  private live(): boolean {
    if (this.holder !== null && performance.now() >= this.until) this.holder = null;
    return this.holder !== null;
  }

  ttl(): number {
    return this.live() ? this.until - performance.now() : 0;
  }

  async tryAcquire(_key: string, ttlMs: number): Promise<LockLease | null> {
    if (this.live()) return null;
    const token = String(++this.tokens);
    this.holder = token;
    this.until = performance.now() + ttlMs;
    return {
      extend: async (ms) => {
        if (!this.live() || this.holder !== token) return false;
        this.extensions.push(ms);
        this.until = Math.max(this.until, performance.now() + ms);
        return true;
      },
      release: async (holdMs) => {
        if (this.holder !== token) return;
        if (holdMs > 0) this.until = performance.now() + holdMs;
        else this.holder = null;
      },
    };
  }
}

const options = { holdMs: 300, sendLeaseMs: 5_000, pollMs: 50 };
const signal = () => AbortSignal.timeout(10_000);

describe('KeyLease', () => {
  it('holds the key only briefly until a send, renewing it while the holder lives', async () => {
    // Fake timers (the renewal interval and the lock's performance.now()): no wall-clock wait.
    jest.useFakeTimers();
    try {
      const lock = new FakeLock();
      // Renewed every third of the hold: a renewal late by up to two thirds of it is fine.
      const brief = { ...options, holdMs: 3_000, sendLeaseMs: 60_000 };
      const lease = (await KeyLease.acquire(lock, 'k', brief, signal()))!;
      expect(lock.ttl()).toBeLessThanOrEqual(brief.holdMs);
      await jest.advanceTimersByTimeAsync(brief.holdMs + 500); // past the first hold: renewals kept it
      expect(lock.holder).not.toBeNull();
      expect(lock.ttl()).toBeLessThanOrEqual(brief.holdMs);
      await lease.release(0);
      expect(lock.holder).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('a holder that stops renewing (a dead replica) frees the key after the brief hold', async () => {
    const lock = new FakeLock();
    const lease = (await KeyLease.acquire(lock, 'k', options, signal()))!;
    await lease.release(options.holdMs); // stops renewals, as death would, and leaves the hold
    const waiting = performance.now();
    const next = await KeyLease.acquire(lock, 'k', options, signal());
    expect(next).not.toBeNull();
    expect(performance.now() - waiting).toBeGreaterThanOrEqual(options.holdMs - 50);
    await next!.release(0);
  });

  it('extends to the send lease just before a send, and renewals never shorten it', async () => {
    const lock = new FakeLock();
    const lease = (await KeyLease.acquire(lock, 'k', options, signal()))!;
    await expect(lease.holdForSend()).resolves.toBe(true);
    expect(lock.ttl()).toBeGreaterThan(options.sendLeaseMs - 200);
    await delay(options.holdMs);
    expect(lock.ttl()).toBeGreaterThan(options.sendLeaseMs - 1_000);
    await lease.release(0);
  });

  it('once lost it stays lost: no send after another replica took the key', async () => {
    const lock = new FakeLock();
    const lease = (await KeyLease.acquire(lock, 'k', { ...options, holdMs: 60_000 }, signal()))!;
    lock.holder = 'someone else'; // the lease lapsed and another replica took the key
    await expect(lease.holdForSend()).resolves.toBe(false);
    lock.holder = null;
    await expect(lease.holdForSend()).resolves.toBe(false);
    await lease.release(0);
  });

  it('waits while another replica holds the key; gives up (null) at the deadline', async () => {
    const lock = new FakeLock();
    const held = (await KeyLease.acquire(lock, 'k', { ...options, holdMs: 60_000 }, signal()))!;
    await expect(KeyLease.acquire(lock, 'k', options, AbortSignal.timeout(100))).resolves.toBeNull();
    await held.release(0);
  });
});
