/**
 * Opaque connection cursors over Wix cursor paging. Wix hands out a cursor per page, not per
 * item, so an edge cursor names the upstream page it came from (its cursor, or the first page
 * of the query) and how many items of that page precede the resume point. Cursors are bound to
 * the filter and order they were made for.
 */
import { createHash } from 'node:crypto';
import type { SortOrder, TransactionFilter } from '../../domain/credits';
import { badUserInput } from '../errors';

export interface CursorPosition {
  /** Upstream cursor of the page to resume in; null: the query's first page. */
  upstream: string | null;
  /** Items of that page to skip. */
  skip: number;
}

interface CursorPayload {
  v: 1;
  u: string | null;
  s: number;
  q: string;
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

export function encodeCursor(position: CursorPosition, hash: string): string {
  const payload: CursorPayload = { v: 1, u: position.upstream, s: position.skip, q: hash };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, hash: string): CursorPosition {
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw badUserInput('after', 'after is not a cursor returned by creditTransactions.');
  }
  if (
    payload?.v !== 1 ||
    !(payload.u === null || typeof payload.u === 'string') ||
    typeof payload.s !== 'number' ||
    !Number.isInteger(payload.s) ||
    payload.s < 0 ||
    typeof payload.q !== 'string'
  ) {
    throw badUserInput('after', 'after is not a cursor returned by creditTransactions.');
  }
  if (payload.q !== hash) {
    throw badUserInput(
      'after',
      'after was returned for a different filter or order; pass the same filter and order as the page it came from.',
    );
  }
  return { upstream: payload.u, skip: payload.s };
}
