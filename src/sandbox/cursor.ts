/**
 * Opaque paging cursors: base64url JSON carrying the filter, sort, page size and a keyset
 * position (createdDate ms + id), so later pages need nothing else and concurrent inserts
 * cause neither gaps nor duplicates (an offset would).
 */
export type SortOrder = 'ASC' | 'DESC';

export interface CursorState {
  accountId: string;
  filter: Record<string, unknown>;
  order: SortOrder;
  limit: number;
  /** 'next' walks on from `key` in sort order; 'prev' walks back from it. */
  direction: 'next' | 'prev';
  key: { createdMs: number; id: string };
}

interface CursorWire {
  v: 1;
  a: string;
  f: Record<string, unknown>;
  o: SortOrder;
  l: number;
  d: 'n' | 'p';
  k: [number, string];
}

export function encodeCursor(state: CursorState): string {
  const wire: CursorWire = {
    v: 1,
    a: state.accountId,
    f: state.filter,
    o: state.order,
    l: state.limit,
    d: state.direction === 'next' ? 'n' : 'p',
    k: [state.key.createdMs, state.key.id],
  };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** undefined when the text is not a cursor this sandbox issued (shape-wise). */
export function decodeCursor(text: string): CursorState | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null) return undefined;
  const w = wire as Partial<CursorWire>;
  if (
    w.v !== 1 ||
    typeof w.a !== 'string' ||
    typeof w.f !== 'object' ||
    w.f === null ||
    Array.isArray(w.f) ||
    (w.o !== 'ASC' && w.o !== 'DESC') ||
    typeof w.l !== 'number' ||
    (w.d !== 'n' && w.d !== 'p') ||
    !Array.isArray(w.k) ||
    typeof w.k[0] !== 'number' ||
    !Number.isFinite(w.k[0]) ||
    typeof w.k[1] !== 'string'
  ) {
    return undefined;
  }
  return {
    accountId: w.a,
    filter: w.f,
    order: w.o,
    limit: w.l,
    direction: w.d === 'n' ? 'next' : 'prev',
    key: { createdMs: w.k[0], id: w.k[1] },
  };
}
