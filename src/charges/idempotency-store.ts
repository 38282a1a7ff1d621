/**
 * Where the gateway remembers what it did with each (tenant, idempotency key). The in-memory
 * store is bounded; a shared store (Redis) can implement the same interface for replicas.
 */
import { LRUCache } from 'lru-cache';
import type { DefiniteChargeOutcome } from '../domain/credits';

export type StoredCharge =
  /** Inputs (by fingerprint) that may have been sent under the key, outcome not yet known. */
  | { state: 'attempted'; fingerprints: string[] }
  | { state: 'done'; fingerprint: string; outcome: DefiniteChargeOutcome };

export interface IdempotencyStore {
  get(key: string): Promise<StoredCharge | undefined>;
  set(key: string, value: StoredCharge, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly lru: LRUCache<string, StoredCharge>;

  constructor(maxEntries = 100_000) {
    this.lru = new LRUCache({ max: maxEntries, ttlAutopurge: false });
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
