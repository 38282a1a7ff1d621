/**
 * Query Transactions: validates the Wix query language subset of the contract (filter, sort,
 * cursor paging) and runs it as a keyset walk over an account's sorted entries. The filter's
 * compilation is in query-filter.ts.
 */
import type { WireTransaction } from './wire';
import { type CursorState, type SortOrder, decodeCursor, encodeCursor } from './cursor';
import { applicationError, invalidField } from './errors';
import { type LedgerEntry, compareEntries } from './ledger';
import { isPlainObject } from './charge-request';
import { type Predicate, compileFilter } from './query-filter';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
export const MAX_SORT_ENTRIES = 5;

export interface QueryPlan {
  filter: Record<string, unknown>;
  predicate: Predicate;
  order: SortOrder;
  limit: number;
  /** Absent on a first page. */
  position?: { direction: 'next' | 'prev'; key: { createdMs: number; id: string } };
}

export interface QueryPage {
  creditTransactions: WireTransaction[];
  pagingMetadata: { count: number; cursors: { next?: string; prev?: string }; hasNext: boolean };
}

function parseSort(sort: unknown): SortOrder {
  if (sort === undefined || sort === null) return 'DESC';
  if (!Array.isArray(sort)) throw invalidField('query.sort', 'sort must be an array', 'FORMAT');
  if (sort.length > MAX_SORT_ENTRIES)
    throw invalidField('query.sort', `at most ${MAX_SORT_ENTRIES} sort entries`, 'MAX_SIZE');
  sort.forEach((s, i) => {
    if (!isPlainObject(s) || s.fieldName !== 'createdDate')
      throw invalidField(`query.sort[${i}].fieldName`, 'only createdDate is sortable', 'INVALID_ENUM_VALUE');
    if (s.order !== undefined && s.order !== 'ASC' && s.order !== 'DESC')
      throw invalidField(`query.sort[${i}].order`, 'order must be ASC or DESC', 'INVALID_ENUM_VALUE');
  });
  // Every entry names createdDate, so the first one decides.
  const first = sort[0] as { order?: SortOrder } | undefined;
  return first?.order ?? 'DESC';
}

function parseLimit(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1)
    throw invalidField('query.cursorPaging.limit', 'limit must be a positive integer', 'MIN');
  if (raw > MAX_LIMIT) throw invalidField('query.cursorPaging.limit', `limit must be at most ${MAX_LIMIT}`, 'MAX');
  return raw;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (isPlainObject(v) && Object.keys(v).length === 0);

/** Validates a Query Transactions body for `accountId`; throws a 400 SandboxHttpError. */
export function parseQuery(body: unknown, accountId: string, unknownCursorStatus: 400 | 500 = 400): QueryPlan {
  const root = isPlainObject(body) ? body : {};
  const query = root.query ?? {};
  if (!isPlainObject(query)) throw invalidField('query', 'query must be an object', 'FORMAT');
  const paging = query.cursorPaging ?? {};
  if (!isPlainObject(paging)) throw invalidField('query.cursorPaging', 'cursorPaging must be an object', 'FORMAT');

  if (paging.cursor !== undefined && paging.cursor !== null && paging.cursor !== '') {
    if (!isEmpty(query.filter) || !isEmpty(query.sort))
      throw invalidField(
        'query.cursorPaging.cursor',
        'a cursor carries filter and sort: send neither with it',
        'FIELD_NOT_ALLOWED',
      );
    const state = typeof paging.cursor === 'string' ? decodeCursor(paging.cursor) : undefined;
    if (!state || state.accountId !== accountId) {
      if (unknownCursorStatus === 500) throw applicationError(500, 'INTERNAL_ERROR', 'Internal error');
      throw invalidField('query.cursorPaging.cursor', 'invalid cursor', 'FORMAT');
    }
    return {
      filter: state.filter,
      predicate: compileFilter(state.filter),
      order: state.order,
      limit: parseLimit(paging.limit, state.limit),
      position: { direction: state.direction, key: state.key },
    };
  }
  const filter = isPlainObject(query.filter) ? query.filter : {};
  return {
    filter,
    predicate: compileFilter(query.filter),
    order: parseSort(query.sort),
    limit: parseLimit(paging.limit, DEFAULT_LIMIT),
  };
}

/** Index of the first entry strictly after `key` in ascending order. */
function upperBound(entries: readonly LedgerEntry[], key: { createdMs: number; id: string }): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(entries[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first entry at or after `key` in ascending order. */
function lowerBound(entries: readonly LedgerEntry[], key: { createdMs: number; id: string }): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(entries[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Up to `n` matches walking from (exclusive) `key` upward or downward in ascending order. */
function walk(
  entries: readonly LedgerEntry[],
  predicate: Predicate,
  up: boolean,
  key: { createdMs: number; id: string } | undefined,
  n: number,
): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  if (up) {
    for (let i = key ? upperBound(entries, key) : 0; i < entries.length && out.length < n; i++)
      if (predicate(entries[i])) out.push(entries[i]);
  } else {
    for (let i = key ? lowerBound(entries, key) - 1 : entries.length - 1; i >= 0 && out.length < n; i--)
      if (predicate(entries[i])) out.push(entries[i]);
  }
  return out;
}

/** Runs a plan over entries sorted ascending by (createdMs, id). */
export function runQuery(entries: readonly LedgerEntry[], plan: QueryPlan, accountId: string): QueryPage {
  const asc = plan.order === 'ASC';
  const direction = plan.position?.direction ?? 'next';
  // Moving forward in ASC order, or backward in DESC order, walks the array upward.
  const up = asc === (direction === 'next');
  const found = walk(entries, plan.predicate, up, plan.position?.key, plan.limit + 1);
  const more = found.length > plan.limit;
  const page = more ? found.slice(0, plan.limit) : found;
  if (direction === 'prev') page.reverse();

  let hasNext: boolean;
  let hasPrev: boolean;
  if (direction === 'next') {
    hasNext = more;
    hasPrev =
      plan.position !== undefined && page.length > 0 && walk(entries, plan.predicate, !up, page[0], 1).length > 0;
  } else {
    hasPrev = more;
    hasNext = page.length > 0 && walk(entries, plan.predicate, !up, page[page.length - 1], 1).length > 0;
  }

  const cursor = (dir: 'next' | 'prev', entry: LedgerEntry): string => {
    const state: CursorState = {
      accountId,
      filter: plan.filter,
      order: plan.order,
      limit: plan.limit,
      direction: dir,
      key: { createdMs: entry.createdMs, id: entry.id },
    };
    return encodeCursor(state);
  };
  const cursors: { next?: string; prev?: string } = {};
  if (hasNext) cursors.next = cursor('next', page[page.length - 1]);
  if (hasPrev) cursors.prev = cursor('prev', page[0]);
  return {
    creditTransactions: page.map((e) => e.tx),
    pagingMetadata: { count: page.length, cursors, hasNext },
  };
}
