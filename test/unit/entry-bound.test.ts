/**
 * Caches bounded by entry count (entry-bound.ts) keep their bound, and allocate nothing for
 * entries they do not hold: with lru-cache's `max`, an unused MemoryLimitStore held 11.6 MB of
 * heap and a MemoryTransactionCache 0.8 MB from the moment they were made.
 */
import { getHeapStatistics } from 'node:v8';
import { LRUCache } from 'lru-cache';
import { MemoryIdempotencyStore } from '../../src/charges/idempotency-store';
import { MemoryLimitStore } from '../../src/charges/limits/limit-store';
import { entryBound } from '../../src/common/entry-bound';
import type { CreditTransaction } from '../../src/domain/credits';
import { toGuid } from '../../src/domain/guid';
import { MemoryTransactionCache } from '../../src/reader/cache/transaction-cache';

const guid = (n: number) => toGuid(`9a1b2c3d-4e5f-4a6b-8c7d-${String(n).padStart(12, '0')}`);

describe('entry-bounded caches', () => {
  it('keep at most their number of entries, evicting the least recently used', () => {
    const lru = new LRUCache<string, number>(entryBound(3));
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) lru.set(key, i);
    expect([...lru.keys()].sort()).toEqual(['b', 'c', 'd']);
    lru.get('b');
    lru.set('e', 4);
    expect([...lru.keys()].sort()).toEqual(['b', 'd', 'e']);
  });

  it('a transaction cache holds maxEntries transactions', async () => {
    const cache = new MemoryTransactionCache({ maxEntries: 2 });
    const tx = (n: number) => ({ id: guid(n) }) as CreditTransaction;
    await cache.setMany('tenant', [tx(1), tx(2), tx(3)]);
    expect((await cache.getMany('tenant', [guid(1), guid(2), guid(3)])).map((t) => t?.id ?? null)).toEqual([
      null,
      guid(2),
      guid(3),
    ]);
  });

  it('an idempotency store holds maxEntries records however small', async () => {
    const store = new MemoryIdempotencyStore(2);
    for (const n of [1, 2, 3]) await store.set(guid(n), { kind: 'sent', fingerprints: ['f'] }, 60_000);
    expect(await store.get(guid(1))).toBeUndefined();
    expect(await store.get(guid(2))).toBeDefined();
    expect(await store.get(guid(3))).toBeDefined();
  });

  it('allocate nothing up front: ten limit stores and transaction caches take well under 1 MB', () => {
    const before = getHeapStatistics().used_heap_size;
    const kept = Array.from({ length: 10 }, () => [new MemoryLimitStore(), new MemoryTransactionCache()]);
    const grown = getHeapStatistics().used_heap_size - before;
    expect(kept).toHaveLength(10);
    // Preallocated for their bounds (lru-cache `max`) they took 124 MB.
    expect(grown).toBeLessThan(1024 * 1024);
  });
});
