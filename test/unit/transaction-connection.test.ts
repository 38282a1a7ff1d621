/** The connection over Wix cursor paging, against a scripted upstream (no HTTP). */
import type { CreditTransaction, TransactionPage, TransactionQuery } from '../../src/domain/credits';
import { loadTransactionConnection, MAX_EMPTY_PAGES } from '../../src/reader/pagination/transaction-connection';
import { CursorCodec } from '../../src/reader/pagination/cursor-codec';
import { InvalidCursorError } from '../../src/reader/pagination/invalid-cursor';
import { queryHash } from '../../src/reader/pagination/transaction-cursor';
import type { ReadUpstream } from '../../src/reader/read-upstream';
import type { UpstreamCallOptions } from '../../src/domain/upstream-call';

const options: UpstreamCallOptions & { tenant: string } = {
  credentials: { authorization: 'k', accountId: 'a' },
  tenant: 't',
};
const cursors = new CursorCodec(null);

const tx = (id: string): CreditTransaction => ({ id }) as unknown as CreditTransaction;

/** An upstream whose queryTransactions answers pages from a script, keyed by upstream cursor. */
function scriptedClient(pages: Record<string, TransactionPage>): {
  client: Pick<ReadUpstream, 'queryTransactions'>;
  cursors: CursorCodec;
  queries: TransactionQuery[];
} {
  const queries: TransactionQuery[] = [];
  const client = {
    async queryTransactions(_options: UpstreamCallOptions, query: TransactionQuery): Promise<TransactionPage> {
      queries.push(query);
      const page = pages[query.cursor ?? 'first'];
      if (!page) throw new Error(`unscripted cursor ${query.cursor}`);
      return page;
    },
  };
  return { client, cursors, queries };
}

const page = (ids: string[], next: string | null, hasNext = next !== null): TransactionPage => ({
  items: ids.map(tx),
  nextCursor: next,
  hasNext,
});

describe('transaction connection paging', () => {
  it('follows nextCursor over empty upstream pages that still say hasNext', async () => {
    const { queries, ...services } = scriptedClient({
      first: page(['a', 'b'], 'c1'),
      c1: page([], 'c2'),
      c2: page([], 'c3'),
      c3: page(['c', 'd', 'e'], 'c4'),
      c4: page(['f'], null),
    });
    const conn = await loadTransactionConnection(services, options, { order: 'DESC', first: 4 });
    expect(conn.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    expect(conn.pageInfo.endCursor).not.toBeNull();
    expect(queries.map((q) => q.cursor ?? 'first')).toEqual(['first', 'c1', 'c2', 'c3']);
  });

  it('never answers hasNextPage true with a null endCursor when the first upstream page is empty but says hasNext', async () => {
    const services = scriptedClient({ first: page([], 'c1'), c1: page(['a'], null) });
    const conn = await loadTransactionConnection(services, options, { order: 'DESC', first: 5 });
    expect(conn.nodes.map((n) => n.id)).toEqual(['a']);
    expect(conn.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
  });

  it(`stops after ${MAX_EMPTY_PAGES} consecutive empty pages with an endCursor past them, so the client makes progress`, async () => {
    const pages: Record<string, TransactionPage> = { first: page([], 'e1') };
    for (let i = 1; i <= 20; i++) pages[`e${i}`] = page([], `e${i + 1}`);
    pages.e21 = page(['z'], null);
    const { queries, ...services } = scriptedClient(pages);
    const binding = { tenant: options.tenant, query: queryHash(undefined, 'DESC') };
    const seen: string[] = [];
    let after: string | undefined;
    for (let request = 0; request < 10; request++) {
      const before = queries.length;
      const conn = await loadTransactionConnection(services, options, { order: 'DESC', first: 10, after });
      expect(queries.length - before).toBeLessThanOrEqual(MAX_EMPTY_PAGES);
      seen.push(...conn.nodes.map((n) => n.id));
      if (conn.pageInfo.hasNextPage) expect(conn.pageInfo.endCursor).not.toBeNull();
      if (!conn.pageInfo.hasNextPage) break;
      const next = cursors.decode(conn.pageInfo.endCursor!, binding);
      if (after) expect(next).not.toEqual(cursors.decode(after, binding)); // always forward
      after = conn.pageInfo.endCursor!;
    }
    expect(seen).toEqual(['z']);
  });

  it('answers hasNextPage false when the upstream says hasNext but gives no cursor to continue with', async () => {
    const services = scriptedClient({ first: page([], null, true) });
    const conn = await loadTransactionConnection(services, options, { order: 'DESC', first: 5 });
    expect(conn.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});

describe('cursor binding', () => {
  it('hashes createdAfter and createdBefore into the query a cursor belongs to', () => {
    const x = new Date('2024-01-01T00:00:00.000Z');
    const y = new Date('2024-06-01T00:00:00.000Z');
    expect(queryHash({ createdAfter: x }, 'DESC')).not.toBe(queryHash({ createdAfter: y }, 'DESC'));
    expect(queryHash({ createdBefore: x }, 'DESC')).not.toBe(queryHash({ createdBefore: y }, 'DESC'));
    expect(queryHash({ createdAfter: x }, 'DESC')).toBe(queryHash({ createdAfter: new Date(x.getTime()) }, 'DESC'));
  });
});

describe('cursor codec', () => {
  const codec = new CursorCodec('unit-test-cursor-secret-0123456789abcdef');
  const binding = { tenant: 'tenant-a', query: queryHash(undefined, 'DESC') };
  const position = { upstream: 'upstream-cursor', skip: 3 };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCursorError);
      return { message: (error as InvalidCursorError).message, field: (error as InvalidCursorError).field };
    }
    throw new Error('accepted');
  };

  it('gives back the position it encoded, for the same tenant and query', () => {
    expect(codec.decode(codec.encode(position, binding), binding)).toEqual(position);
    expect(codec.decode(codec.encode({ upstream: null, skip: 0 }, binding), binding)).toEqual({
      upstream: null,
      skip: 0,
    });
  });

  it('refuses a cursor whose payload was edited, whatever the edit', () => {
    const cursor = codec.encode(position, binding);
    const [body, mac] = cursor.split('.') as [string, string];
    const edited = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('upstream-cursor', 'upstream-cursoR'),
    ).toString('base64url');
    for (const forged of [
      `${edited}.${mac}`,
      body,
      `${body}.`,
      `${body}.${mac.slice(1)}`,
      'bm9wZQ',
      `${body}.${mac}x`.repeat(200),
    ]) {
      expect(refusal(() => codec.decode(forged, binding)).field).toBe('after');
    }
  });

  it("refuses another tenant's cursor and one signed with another key", () => {
    const cursor = codec.encode(position, binding);
    expect(refusal(() => codec.decode(cursor, { ...binding, tenant: 'tenant-b' })).message).toMatch(
      /not a cursor returned/,
    );
    const foreign = new CursorCodec('another-secret-of-at-least-32-characters!').encode(position, binding);
    expect(refusal(() => codec.decode(foreign, binding)).message).toMatch(/not a cursor returned/);
    // Without CURSOR_SECRET every process has its own key.
    expect(
      refusal(() => new CursorCodec(null).decode(new CursorCodec(null).encode(position, binding), binding)).message,
    ).toMatch(/not a cursor returned/);
  });

  it('refuses a cursor made for another filter or order, saying so', () => {
    const cursor = codec.encode(position, binding);
    expect(refusal(() => codec.decode(cursor, { ...binding, query: queryHash(undefined, 'ASC') })).message).toMatch(
      /different filter or order/,
    );
  });
});
