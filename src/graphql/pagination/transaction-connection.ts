/**
 * `creditTransactions` as a Relay connection over Wix cursor paging. In the common walk (each
 * page resumed from `endCursor`) every page is exactly one upstream query; resuming from a
 * mid-page edge re-reads that upstream page and skips what was already seen.
 */
import type { CreditTransaction, SortOrder, TransactionFilter } from '../../domain/credits';
import type { WixCallOptions, WixClient } from '../../wix/wix-client';
import { MAX_QUERY_LIMIT } from '../../wix/wix-client';
import { decodeCursor, encodeCursor, queryHash, type CursorPosition } from './transaction-cursor';

export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  filter?: TransactionFilter;
  order: SortOrder;
  first: number;
  after?: string;
}

export interface TransactionConnection {
  edges: { cursor: string; node: CreditTransaction }[];
  nodes: CreditTransaction[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export async function loadTransactionConnection(
  client: WixClient,
  options: WixCallOptions,
  args: ConnectionArgs,
): Promise<TransactionConnection> {
  const hash = queryHash(args.filter, args.order);
  let position: CursorPosition = args.after ? decodeCursor(args.after, hash) : { upstream: null, skip: 0 };
  const edges: TransactionConnection['edges'] = [];
  let hasNextPage = false;
  while (edges.length < args.first) {
    const need = args.first - edges.length;
    const limit = Math.min(MAX_QUERY_LIMIT, position.skip + need);
    const page = await client.queryTransactions(
      options,
      position.upstream === null
        ? { filter: args.filter, order: args.order, limit }
        : { cursor: position.upstream, limit },
    );
    const taken = page.items.slice(position.skip, position.skip + need);
    taken.forEach((node, i) => {
      const index = position.skip + i + 1; // items of this page consumed through this edge
      const atPageEnd = index === page.items.length && page.nextCursor !== null;
      const resume: CursorPosition = atPageEnd ? { upstream: page.nextCursor, skip: 0 } : { upstream: position.upstream, skip: index };
      edges.push({ cursor: encodeCursor(resume, hash), node });
    });
    const consumedWholePage = position.skip + taken.length >= page.items.length;
    hasNextPage = !consumedWholePage || page.hasNext;
    if (!consumedWholePage || !page.hasNext || page.nextCursor === null || page.items.length === 0) break;
    position = { upstream: page.nextCursor, skip: 0 };
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
