/**
 * Where the gateway remembers charges by idempotency key. Two kinds of record:
 *  - which inputs (fingerprints) may have been sent under a key of an account — kept so a later
 *    request knows an earlier send of unknown fate exists;
 *  - the finished outcome, per key *and* credentials (only those who learnt it get it replayed).
 * The in-memory store is bounded (LRU); a shared store (Redis) can implement the same interface
 * for several replicas. Losing a record never risks a double debit — every send is preceded by
 * an upstream lookup — it only makes answers less precise.
 */
import { LRUCache } from 'lru-cache';
import type { DefiniteChargeOutcome } from '../domain/credits';

export interface SentRecord {
  kind: 'sent';
  /** Inputs that may have reached the upstream under the key, newest last (bounded). */
  fingerprints: string[];
}

export interface DoneRecord {
  kind: 'done';
  fingerprint: string;
  outcome: DefiniteChargeOutcome;
}

export type StoredCharge = SentRecord | DoneRecord;

export interface IdempotencyStore {
  get(key: string): Promise<StoredCharge | undefined>;
  set(key: string, value: StoredCharge, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Default bound of the in-memory store's retained bytes (IDEMPOTENCY_STORE_MAX_BYTES). */
export const DEFAULT_IDEMPOTENCY_STORE_MAX_BYTES = 32 * 1024 * 1024;

/** Bytes a record holds in memory, over-estimated: UTF-16 text of key and JSON, plus object overhead. */
export function recordBytes(key: string, value: StoredCharge): number {
  return 2 * (key.length + JSON.stringify(value).length) + 256;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly lru: LRUCache<string, StoredCharge>;

  /**
   * Bounded by entries *and* by bytes (a record carries the charge's metadata, up to 8 KiB). The
   * entry bound is a least size per record (maxBytes / maxEntries) rather than lru-cache's `max`,
   * which would allocate for all 100,000 entries at start-up (see entry-bound.ts).
   */
  constructor(maxEntries = 100_000, maxBytes = DEFAULT_IDEMPOTENCY_STORE_MAX_BYTES) {
    const leastSize = Math.ceil(maxBytes / maxEntries);
    this.lru = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => Math.max(leastSize, recordBytes(key, value)),
    });
  }

  /** Bytes the records hold now, as counted against the bound. */
  get retainedBytes(): number {
    return this.lru.calculatedSize;
  }

  async get(key: string): Promise<StoredCharge | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: StoredCharge, ttlMs: number): Promise<void> {
    this.lru.set(key, value, { ttl: ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.lru.delete(key);
  }
}
