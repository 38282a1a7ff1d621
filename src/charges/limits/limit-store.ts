/**
 * Where per-subject charge limits live: a sliding-window rate log, the credits reserved per
 * UTC day, and a marker per (subject, idempotency key) — which makes replays and retries of a
 * key neither counted nor reserved twice. Admission is atomic (one Lua script in Redis; one
 * synchronous step in memory). The marker holds the key's reservation (day and amount) until
 * the charge settles: kept when made or unknown, given back when definitely not made.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { entryBound } from '../../common/entry-bound';
import { ExactDecimal, type RateLimit } from './limit-config';

export interface AdmitRequest {
  subject: string;
  idempotencyKey: string;
  /** Canonical decimal string. */
  amount: string;
  /** Canonical decimal string, or null for no budget. */
  budget: string | null;
  rate: RateLimit | null;
  nowMs: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

export type Admission =
  | { kind: 'admitted' }
  /** The key was seen before for this subject: not counted, not reserved again. */
  | { kind: 'replay' }
  | { kind: 'rateLimited'; retryAfterMs: number }
  | { kind: 'budgetExceeded'; used: string };

/**
 * made: the charge happened (reservation kept). refused: settled without a debit
 * (insufficient credits, key reused): given back, and replays stay uncounted. failed: definitely
 * not made and not settled (an error before any send): given back, and the key starts afresh.
 */
export type Settlement = 'made' | 'refused' | 'failed';

export interface LimitStore {
  admit(request: AdmitRequest): Promise<Admission>;
  settle(subject: string, idempotencyKey: string, settlement: Settlement): Promise<void>;
  close(): Promise<void>;
}

/** How long a key's marker lives: past the 24 h replay window of charges. */
export const MARKER_TTL_MS = 25 * 3_600_000;
export const USAGE_TTL_MS = 48 * 3_600_000;

/** Subjects can be long or odd (a `sub` claim): keys hold a digest. */
export function subjectDigest(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url');
}

type Marker = { state: 'reserved'; day: string; amount: string } | { state: 'settled' };

export class MemoryLimitStore implements LimitStore {
  private readonly markers = new LRUCache<string, Marker>({ ...entryBound(200_000), ttl: MARKER_TTL_MS });
  private readonly usage = new LRUCache<string, InstanceType<typeof ExactDecimal>>({
    ...entryBound(100_000),
    ttl: USAGE_TTL_MS,
  });
  private readonly hits = new LRUCache<string, number[]>({ ...entryBound(100_000), ttl: 3_600_000 });

  async admit(r: AdmitRequest): Promise<Admission> {
    const subject = subjectDigest(r.subject);
    const markerKey = `${subject}\u0000${r.idempotencyKey}`;
    if (this.markers.has(markerKey)) return { kind: 'replay' };
    if (r.rate) {
      const since = r.nowMs - r.rate.windowMs;
      const hits = (this.hits.get(subject) ?? []).filter((t) => t > since);
      if (hits.length >= r.rate.limit) {
        this.hits.set(subject, hits);
        return { kind: 'rateLimited', retryAfterMs: hits[0]! + r.rate.windowMs - r.nowMs };
      }
      hits.push(r.nowMs);
      this.hits.set(subject, hits, { ttl: r.rate.windowMs });
    }
    let amount = '0';
    if (r.budget !== null) {
      const usageKey = `${subject}\u0000${r.day}`;
      const used = this.usage.get(usageKey) ?? new ExactDecimal(0);
      const after = used.plus(r.amount);
      if (after.greaterThan(r.budget)) return { kind: 'budgetExceeded', used: used.toFixed() };
      this.usage.set(usageKey, after);
      amount = r.amount;
    }
    this.markers.set(markerKey, { state: 'reserved', day: r.day, amount });
    return { kind: 'admitted' };
  }

  async settle(subjectName: string, idempotencyKey: string, settlement: Settlement): Promise<void> {
    const subject = subjectDigest(subjectName);
    const markerKey = `${subject}\u0000${idempotencyKey}`;
    const marker = this.markers.get(markerKey);
    if (marker?.state !== 'reserved') return;
    if (settlement !== 'made' && marker.amount !== '0') {
      const usageKey = `${subject}\u0000${marker.day}`;
      const used = this.usage.get(usageKey);
      if (used) this.usage.set(usageKey, ExactDecimal.max(used.minus(marker.amount), 0));
    }
    if (settlement === 'failed') this.markers.delete(markerKey);
    else this.markers.set(markerKey, { state: 'settled' });
  }

  /** Credits reserved by a subject on a day (tests, diagnostics). */
  usedOn(subject: string, day: string): string {
    return (this.usage.get(`${subjectDigest(subject)}\u0000${day}`) ?? new ExactDecimal(0)).toFixed();
  }

  async close(): Promise<void> {}
}
