/**
 * Per-route request counters and a bounded request log, for tests that assert how many
 * calls (and which) a gateway made upstream.
 */
import { type RequestRecord, type SandboxCounters, type SandboxRoute, SANDBOX_ROUTES } from './types';

export const REQUEST_LOG_LIMIT = 10_000;

export class RequestLog implements SandboxCounters {
  private counts: Record<SandboxRoute, number> = { balance: 0, charge: 0, get: 0, query: 0 };
  private log: RequestRecord[] = [];

  record(entry: RequestRecord): void {
    if (entry.route !== 'unknown') this.counts[entry.route]++;
    this.log.push(entry);
    // Trim in batches: shifting one element per request would be O(n) each time.
    if (this.log.length >= REQUEST_LOG_LIMIT * 2) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  /** The last REQUEST_LOG_LIMIT records, oldest first. */
  get requests(): RequestRecord[] {
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
    return this.log;
  }

  get(route: SandboxRoute): number {
    return this.counts[route];
  }

  total(): number {
    return SANDBOX_ROUTES.reduce((sum, r) => sum + this.counts[r], 0);
  }

  snapshot(): Record<SandboxRoute, number> {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = { balance: 0, charge: 0, get: 0, query: 0 };
    this.log.length = 0;
  }
}
