/**
 * Where the gateway remembers what it did with each idempotency key of an account. The
 * in-memory store is bounded; a shared store (Redis) can implement the same interface for
 * several replicas.
 */
import { LRUCache } from 'lru-cache';
import type { DefiniteChargeOutcome } from '../domain/credits';

export type StoredCharge =
  | {
      state: 'attempted';
      /** Inputs (by fingerprint) that may have been sent under the key. */
      fingerprints: string[];
      /** Epoch ms before which an unanswered send may still commit upstream: no resend until then. */
      settleUntil: number;
    }
  | {
      state: 'done';
      /** Whose credentials learnt the outcome: only they get it replayed. */
      tenant: string;
      fingerprint: string;
      outcome: DefiniteChargeOutcome;
    };

export interface IdempotencyStore {
  get(key: string): Promise<StoredCharge | undefined>;
  set(key: string, value: StoredCharge, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly lru: LRUCache<string, StoredCharge>;

  constructor(maxEntries = 100_000) {
    this.lru = new LRUCache({ max: maxEntries });
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
