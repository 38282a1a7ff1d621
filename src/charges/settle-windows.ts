/**
 * When an earlier send under a key may still commit upstream, per key, on a monotonic clock.
 * Kept apart from the (evicting) idempotency store: dropping a window early could let a resend
 * beside a pending commit. Each entry lives only until its window closes, so the map is bounded
 * by charge throughput × the settle time.
 */
import { performance } from 'node:perf_hooks';

export class SettleWindows {
  private readonly until = new Map<string, number>();
  private writes = 0;

  /** Monotonic milliseconds. */
  private now(): number {
    return performance.now();
  }

  /** Milliseconds until the key's window closes (0 when none is open). */
  remaining(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) this.until.delete(key);
    return Math.max(0, left);
  }

  open(key: string, durationMs: number): void {
    const until = this.now() + durationMs;
    this.until.set(key, Math.max(this.until.get(key) ?? 0, until));
    if (++this.writes % 256 === 0) this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
  }
}
