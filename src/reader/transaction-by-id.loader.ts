/**
 * Per-request DataLoader of transactions by id: every id asked for in one tick of one request
 * becomes one upstream query per 100 ids; ids already in the shared tenant cache cost nothing.
 * What it fetches goes to `learned` (the reader's one cache-write rule). Keys are canonical
 * GUIDs, so "ABC…" and "abc…" are one key, asked for once.
 */
import DataLoader from 'dataloader';
import type { CreditTransaction } from '../domain/credits';
import type { Guid } from '../domain/guid';
import type { TransactionCache } from './cache/transaction-cache';
import { READ_BATCH_SIZE, type ReadCall, type ReadUpstream } from './read-upstream';

export type TransactionLoader = DataLoader<Guid, CreditTransaction | null>;

export function createTransactionLoader(
  client: Pick<ReadUpstream, 'getTransactionsByIds'>,
  cache: Pick<TransactionCache, 'getMany'>,
  callOptions: () => ReadCall,
  learned: (tenant: string, transactions: readonly CreditTransaction[]) => Promise<void>,
): TransactionLoader {
  return new DataLoader<Guid, CreditTransaction | null>(
    async (ids) => {
      const options = callOptions(); // first: without credentials nothing, not even the cache, is read
      const cached = await cache.getMany(options.tenant, ids);
      const missing = ids.filter((_, i) => cached[i] === undefined);
      if (missing.length === 0) return cached.map((tx) => tx ?? null);
      const fetched = await client.getTransactionsByIds(options, missing);
      await learned(
        options.tenant,
        fetched.filter((tx): tx is CreditTransaction => tx !== null),
      );
      const fetchedById = new Map(missing.map((id, i) => [id, fetched[i] ?? null])); // fetched is in `missing` order
      return ids.map((id, i) => cached[i] ?? fetchedById.get(id) ?? null);
    },
    // The port's batch size: one loader batch is one upstream call.
    { maxBatchSize: READ_BATCH_SIZE },
  );
}
