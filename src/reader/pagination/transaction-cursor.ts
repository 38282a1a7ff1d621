/**
 * Opaque connection cursors over Wix cursor paging. Wix hands out a cursor per page, not per
 * item, so an edge cursor names the upstream page it came from (its cursor, or the first page
 * of the query) and how many items of that page precede the resume point. Cursors are bound to
 * the filter and order they were made for; `cursor-codec.ts` makes them tamper-proof and binds
 * them to the tenant too.
 */
import { createHash } from 'node:crypto';
import type { SortOrder, TransactionFilter } from '../../domain/credits';

export interface CursorPosition {
  /** Upstream cursor of the page to resume in; null: the query's first page. */
  upstream: string | null;
  /** Items of that page to skip. */
  skip: number;
}

/**
 * The query a cursor belongs to, as plain JSON: dates as ISO strings (JSON.stringify of a Date
 * object inside a hand-rolled canonical form would lose it), keys in a fixed order, absent
 * fields as null.
 */
function plainQuery(filter: TransactionFilter | undefined, order: SortOrder): unknown[] {
  const f = filter ?? {};
  return [
    order,
    f.ids ?? null,
    f.externalRefIds ?? null,
    f.callerAppId ?? null,
    f.idempotencyKey ?? null,
    f.createdAfter ? f.createdAfter.toISOString() : null,
    f.createdBefore ? f.createdBefore.toISOString() : null,
  ];
}

export function queryHash(filter: TransactionFilter | undefined, order: SortOrder): string {
  return createHash('sha256')
    .update(JSON.stringify(plainQuery(filter, order)))
    .digest('base64url')
    .slice(0, 16);
}
