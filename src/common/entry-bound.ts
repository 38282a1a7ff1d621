/**
 * lru-cache options that bound a cache by its number of entries without allocating for all of
 * them up front. With `max`, lru-cache allocates its key, value, link (and TTL) arrays for `max`
 * entries when the cache is made: 200,000 entries with a TTL held 6.4 MB of heap from start-up,
 * in a process that may never store one. Counting every entry as size 1 against `maxSize` keeps
 * the same bound, and lets those arrays grow as entries come.
 */
export function entryBound(maxEntries: number): { maxSize: number; sizeCalculation: () => number } {
  return { maxSize: maxEntries, sizeCalculation: () => 1 };
}
