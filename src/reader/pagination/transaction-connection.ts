/**
 * `creditTransactions` as a Relay connection over Wix cursor paging. In the common walk (each
 * page resumed from `endCursor`) every page is exactly one upstream query; resuming from a
 * mid-page edge re-reads that upstream page and skips what was already seen. Empty upstream
 * pages that still say "more" are followed (up to MAX_EMPTY_PAGES in one request), and
 * hasNextPage is never true without an endCursor to continue from.
 */
import type { CreditTransaction, SortOrder, TransactionFilter, TransactionPage } from '../../domain/credits';
import type { UpstreamCallOptions } from '../../domain/upstream-call';
import { CallerInputRejectedError, READ_BATCH_SIZE, type ReadUpstream } from '../read-upstream';
import type { CursorBinding, CursorCodec } from './cursor-codec';
import { InvalidCursorError } from './invalid-cursor';
import { queryHash, type CursorPosition } from './transaction-cursor';

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

/** Empty upstream pages followed in one request before answering with a cursor past them. */
export const MAX_EMPTY_PAGES = 5;

export interface ConnectionServices {
  client: Pick<ReadUpstream, 'queryTransactions'>;
  cursors: CursorCodec;
}

export async function loadTransactionConnection(
  { client, cursors }: ConnectionServices,
  options: UpstreamCallOptions & { tenant: string },
  args: ConnectionArgs,
): Promise<TransactionConnection> {
  const binding: CursorBinding = { tenant: options.tenant, query: queryHash(args.filter, args.order) };
  let position: CursorPosition = args.after ? cursors.decode(args.after, binding) : { upstream: null, skip: 0 };
  // The upstream cursor inside a client's `after` is authentic (the codec checked it) but may
  // have expired: the upstream refuses it, and a failure of it must not count against other tenants.
  let upstreamFromClient = position.upstream !== null;
  const edges: TransactionConnection['edges'] = [];
  let hasNextPage = false;
  /** Where to resume when the walk stops after empty pages without an edge to carry the cursor. */
  let resumeAt: CursorPosition | null = null;
  let emptyPages = 0;
  for (;;) {
    const need = args.first - edges.length;
    const limit = Math.min(READ_BATCH_SIZE, position.skip + need);
    const page = await fetchPage(client, options, args, position, limit, upstreamFromClient);
    upstreamFromClient = false;
    const taken = page.items.slice(position.skip, position.skip + need);
    taken.forEach((node, i) => {
      const index = position.skip + i + 1; // items of this page consumed through this edge
      const atPageEnd = index === page.items.length && page.nextCursor !== null;
      const resume: CursorPosition = atPageEnd
        ? { upstream: page.nextCursor, skip: 0 }
        : { upstream: position.upstream, skip: index };
      edges.push({ cursor: cursors.encode(resume, binding), node });
    });
    if (position.skip + taken.length < page.items.length) {
      hasNextPage = true; // the page was cut short: the last edge's cursor resumes inside it
      break;
    }
    if (!page.hasNext || page.nextCursor === null) {
      hasNextPage = false; // no way further upstream
      break;
    }
    const next: CursorPosition = { upstream: page.nextCursor, skip: 0 };
    if (edges.length >= args.first) {
      hasNextPage = true;
      break;
    }
    emptyPages = taken.length === 0 ? emptyPages + 1 : 0;
    if (emptyPages >= MAX_EMPTY_PAGES) {
      // Upstream keeps answering empty pages that say there is more: stop, but hand out a cursor
      // past them so the client makes progress instead of re-reading the same empty pages.
      hasNextPage = true;
      if (edges.length === 0) resumeAt = next;
      break;
    }
    position = next;
  }
  const endCursor = edges.at(-1)?.cursor ?? (resumeAt ? cursors.encode(resumeAt, binding) : null);
  return {
    edges,
    nodes: edges.map((e) => e.node),
    // Never "there is more" without a cursor to ask for it with.
    pageInfo: { hasNextPage: hasNextPage && endCursor !== null, endCursor },
  };
}

async function fetchPage(
  client: ConnectionServices['client'],
  options: UpstreamCallOptions,
  args: ConnectionArgs,
  position: CursorPosition,
  limit: number,
  upstreamFromClient: boolean,
): Promise<TransactionPage> {
  try {
    return await client.queryTransactions(
      options,
      position.upstream === null
        ? { filter: args.filter, order: args.order, limit }
        : { cursor: position.upstream, limit },
      { callerInput: upstreamFromClient },
    );
  } catch (error) {
    if (error instanceof CallerInputRejectedError) {
      throw new InvalidCursorError('after is not (or no longer) a valid cursor; start again from the first page.');
    }
    throw error;
  }
}
