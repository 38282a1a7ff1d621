/** The per-request reader against a scripted upstream (no HTTP): what it asks, and what it caches where. */
import type { CreditBalance, CreditTransaction, TransactionPage, TransactionQuery } from '../../src/domain/credits';
import { MemoryTransactionCache, type TransactionCache } from '../../src/reader/cache/transaction-cache';
import { parseGuid, toGuid, type Guid } from '../../src/domain/guid';
import { CreditsReader, type ReadAccess } from '../../src/reader/credits-reader';
import { CursorCodec } from '../../src/reader/pagination/cursor-codec';
import type { ReadCall, ReadUpstream } from '../../src/reader/read-upstream';

const A1 = toGuid('a1a1a1a1-0000-4000-8000-000000000001');
const B2 = toGuid('b2b2b2b2-0000-4000-8000-000000000002');
const ZZ = toGuid('ffffffff-0000-4000-8000-00000000000f');
const P1 = toGuid('01010101-0000-4000-8000-000000000101');
const P2 = toGuid('02020202-0000-4000-8000-000000000202');
const CHARGED = toGuid('c0c0c0c0-0000-4000-8000-0000000000c0');

const tx = (id: Guid): CreditTransaction => ({ id }) as unknown as CreditTransaction;
const balanceOf = (credits: number): CreditBalance => ({ availableCredits: credits }) as unknown as CreditBalance;

const call: ReadCall = {
  credentials: { authorization: 'k', accountId: 'a' },
  tenant: 'tenant-a',
  signal: new AbortController().signal,
};
const access: ReadAccess = { call: () => call };

/** An upstream that records every call; `known` ids exist, the history is one page of `page`. */
function scriptedUpstream(known: Guid[], page: Guid[] = []) {
  const calls: string[] = [];
  let credits = 100;
  const upstream: ReadUpstream = {
    async getBalance() {
      calls.push('balance');
      return balanceOf(credits--);
    },
    async getTransactionsByIds(_options, ids) {
      calls.push(`ids:${ids.join(',')}`);
      return ids.map((id) => (known.includes(id) ? tx(id) : null));
    },
    async queryTransactions(_options, _query: TransactionQuery): Promise<TransactionPage> {
      calls.push('query');
      return { items: page.map(tx), nextCursor: null, hasNext: false };
    },
  };
  return { upstream, calls };
}

function readerOver(
  upstream: ReadUpstream,
  cache: TransactionCache = new MemoryTransactionCache(),
  readAccess = access,
) {
  return new CreditsReader({ client: upstream, transactionCache: cache, cursors: new CursorCodec(null) }, readAccess);
}

describe('CreditsReader', () => {
  it('asks the upstream for the balance once per request however often it is read', async () => {
    const { upstream, calls } = scriptedUpstream([]);
    const reader = readerOver(upstream);
    const [a, b] = await Promise.all([reader.balance(), reader.balance()]);
    expect(a).toBe(b);
    await reader.balance();
    expect(calls).toEqual(['balance']);
  });

  it('reads the balance again after a charge, and serves the charged transaction without a call', async () => {
    const { upstream, calls } = scriptedUpstream([]);
    const reader = readerOver(upstream);
    expect((await reader.balance()).availableCredits).toBe(100);
    reader.charged(tx(CHARGED));
    expect((await reader.balance()).availableCredits).toBe(99);
    expect(await reader.transaction(CHARGED)).toEqual(tx(CHARGED));
    expect(calls).toEqual(['balance', 'balance']);
  });

  it('batches the ids asked for in one tick into one upstream call, null for unknown ids', async () => {
    const { upstream, calls } = scriptedUpstream([A1, B2]);
    const reader = readerOver(upstream);
    const found = await Promise.all([
      reader.transaction(parseGuid(A1.toUpperCase())),
      reader.transaction(B2),
      reader.transaction(ZZ),
      reader.transaction(A1),
    ]);
    expect(found).toEqual([tx(A1), tx(B2), null, tx(A1)]);
    expect(calls).toEqual([`ids:${A1},${B2},${ZZ}`]);
  });

  it('answers null for an id that was not a GUID (an entity it cannot resolve), asking nothing', async () => {
    const { upstream, calls } = scriptedUpstream([A1], [P1]);
    const reader = readerOver(upstream);
    expect(await reader.transaction(parseGuid('not-a-guid'))).toBeNull();
    expect(calls).toEqual([]);
  });

  it("writes what it fetched by id to the tenant's shared cache: the next request asks nothing", async () => {
    const cache = new MemoryTransactionCache();
    const first = scriptedUpstream([A1]);
    await readerOver(first.upstream, cache).transaction(A1);
    const second = scriptedUpstream([A1]);
    expect(await readerOver(second.upstream, cache).transaction(A1)).toEqual(tx(A1));
    expect(second.calls).toEqual([]);
    // Another tenant's request does not see the cached transaction.
    const other = scriptedUpstream([A1]);
    await readerOver(other.upstream, cache, { call: () => ({ ...call, tenant: 'tenant-b' }) }).transaction(A1);
    expect(other.calls).toEqual([`ids:${A1}`]);
  });

  it('serves ids of a page it read without another call, in this request and from the cache in the next', async () => {
    const cache = new MemoryTransactionCache();
    const { upstream, calls } = scriptedUpstream([], [P1, P2]);
    const reader = readerOver(upstream, cache);
    const page = await reader.transactions({ order: 'DESC', first: 10 });
    expect(page.nodes).toEqual([tx(P1), tx(P2)]);
    expect(await reader.transaction(P2)).toEqual(tx(P2));
    expect(calls).toEqual(['query']);
    expect(await cache.getMany(call.tenant, [P1, P2])).toEqual([tx(P1), tx(P2)]);
  });

  it('without credentials reads nothing, not even the cache, and rejects each read', async () => {
    const { upstream, calls } = scriptedUpstream([A1]);
    const cache = new MemoryTransactionCache();
    const getMany = jest.spyOn(cache, 'getMany');
    const peek = jest.spyOn(cache, 'peek');
    const denied = new Error('no credentials');
    const reader = readerOver(upstream, cache, {
      call: () => {
        throw denied;
      },
    });
    await expect(reader.balance()).rejects.toBe(denied);
    await expect(reader.transaction(A1)).rejects.toBe(denied);
    await expect(reader.transaction(null)).rejects.toBe(denied);
    await expect(reader.transactions({ order: 'DESC', first: 1 })).rejects.toBe(denied);
    expect(calls).toEqual([]);
    expect(getMany).not.toHaveBeenCalled();
    expect(peek).not.toHaveBeenCalled();
  });

  it('answers an id the memory cache holds with the transaction itself: no promise, loader or call', async () => {
    const cache = new MemoryTransactionCache();
    await cache.setMany(call.tenant, [tx(A1)]);
    const getMany = jest.spyOn(cache, 'getMany');
    const { upstream, calls } = scriptedUpstream([A1, B2]);
    const reader = readerOver(upstream, cache);
    expect(reader.transaction(A1)).toEqual(tx(A1));
    // Not held: through the loader (one batch: the cache, then the upstream).
    await expect(reader.transaction(B2)).resolves.toEqual(tx(B2));
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([`ids:${B2}`]);
  });

  it('reads a cache without a synchronous read (Redis) through the loader only', async () => {
    const memory = new MemoryTransactionCache();
    await memory.setMany(call.tenant, [tx(A1)]);
    const remote = {
      getMany: memory.getMany.bind(memory),
      setMany: memory.setMany.bind(memory),
      close: async () => {},
    };
    const { upstream, calls } = scriptedUpstream([]);
    const found = readerOver(upstream, remote).transaction(A1);
    expect(found).toBeInstanceOf(Promise);
    await expect(found).resolves.toEqual(tx(A1));
    expect(calls).toEqual([]);
  });
});
