/**
 * Cache of credit transactions shared between requests. Transactions are immutable, so an entry
 * never goes stale; entries are keyed by tenant so a caller only ever sees what its own
 * credentials fetched. Unknown ids are never cached (they may exist a moment later).
 */
import { LRUCache } from 'lru-cache';
import { entryBound } from '../../common/entry-bound';
import type { CreditTransaction } from '../../domain/credits';
import type { Guid } from '../../domain/guid';

export interface TransactionCache {
  getMany(tenant: string, ids: readonly Guid[]): Promise<(CreditTransaction | undefined)[]>;
  /** A read without I/O, for a cache that can answer one (memory); absent: only `getMany`. */
  peek?(tenant: string, id: Guid): CreditTransaction | undefined;
  setMany(tenant: string, transactions: readonly CreditTransaction[]): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryTransactionCacheOptions {
  maxEntries?: number;
  /** How long an entry lives (TIMING_DEFAULTS.transactionCacheTtlMs); absent: until evicted by count. */
  ttlMs?: number;
}

export class MemoryTransactionCache implements TransactionCache {
  private readonly lru: LRUCache<string, CreditTransaction>;

  constructor(options: MemoryTransactionCacheOptions = {}) {
    this.lru = new LRUCache({
      ...entryBound(options.maxEntries ?? 50_000),
      ...(options.ttlMs !== undefined && { ttl: options.ttlMs }),
    });
  }

  async getMany(tenant: string, ids: readonly Guid[]): Promise<(CreditTransaction | undefined)[]> {
    return ids.map((id) => this.peek(tenant, id));
  }

  peek(tenant: string, id: Guid): CreditTransaction | undefined {
    return this.lru.get(`${tenant}\u0000${id}`);
  }

  async setMany(tenant: string, transactions: readonly CreditTransaction[]): Promise<void> {
    for (const tx of transactions) this.lru.set(`${tenant}\u0000${tx.id}`, tx);
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}
