import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { type Sandbox, type SandboxAccount, startSandbox } from '../../src/sandbox';
import type { WireTransaction } from '../../src/sandbox/wire';
import { call, chargeBody, makeAgent } from './helpers';

let sb: Sandbox;
let agent: Agent;
let all: WireTransaction[]; // demo history, newest first

beforeAll(async () => {
  sb = await startSandbox();
  agent = makeAgent();
  all = sb.transactionsOf(sb.demo.accountId);
});
afterAll(async () => {
  await agent.close();
  await sb.close();
});

const ms = (t: WireTransaction): number => Date.parse(t.createdDate ?? '');

async function query(body: unknown, account: SandboxAccount = sb.demo) {
  return call(agent, sb.url, account, '/query', { body });
}

/** Follows cursors.next to the end, checking each page's metadata. */
async function walkAll(firstQuery: Record<string, unknown>, account: SandboxAccount = sb.demo, limit = 7) {
  const seen: WireTransaction[] = [];
  let r = await query({ query: { ...firstQuery, cursorPaging: { limit } } }, account);
  for (let pages = 0; ; pages++) {
    expect(r.status).toBe(200);
    const { creditTransactions, pagingMetadata } = r.json;
    expect(pagingMetadata.count).toBe(creditTransactions.length);
    seen.push(...creditTransactions);
    if (!pagingMetadata.hasNext) {
      expect(pagingMetadata.cursors.next).toBeUndefined();
      return seen;
    }
    expect(creditTransactions).toHaveLength(limit);
    expect(pages).toBeLessThan(1000);
    r = await query({ query: { cursorPaging: { cursor: pagingMetadata.cursors.next } } }, account);
  }
}

function expectOrdered(txs: WireTransaction[], order: 'ASC' | 'DESC'): void {
  for (let i = 1; i < txs.length; i++) {
    const [a, b] = order === 'ASC' ? [txs[i - 1], txs[i]] : [txs[i], txs[i - 1]];
    // Ties on createdDate are broken by id, so the order is total.
    expect(ms(a) < ms(b) || (ms(a) === ms(b) && a.id < b.id)).toBe(true);
  }
}

describe('cursor paging over the seeded history', () => {
  test('the seed has 300 transactions, including createdDate ties', () => {
    expect(all).toHaveLength(300);
    expect(new Set(all.map((t) => t.createdDate)).size).toBeLessThan(300);
  });

  test.each(['ASC', 'DESC'] as const)(
    'a %s walk with limit 7 visits every transaction once, in order',
    async (order) => {
      const seen = await walkAll({ sort: [{ fieldName: 'createdDate', order }] });
      expect(seen).toHaveLength(300);
      expect(new Set(seen.map((t) => t.id)).size).toBe(300);
      expectOrdered(seen, order);
      expect(seen.map((t) => t.id)).toEqual((order === 'DESC' ? all : [...all].reverse()).map((t) => t.id));
    },
  );

  test('the default sort is createdDate DESC and the default limit is 50', async () => {
    const r = await query({ query: {} });
    expect(r.json.creditTransactions).toHaveLength(50);
    expect(r.json.creditTransactions.map((t: WireTransaction) => t.id)).toEqual(all.slice(0, 50).map((t) => t.id));
    expect(r.json.pagingMetadata.cursors.prev).toBeUndefined();
  });

  test('a filtered walk keeps its filter on later pages without resending it', async () => {
    const app = all[0].callerAppId;
    const seen = await walkAll({ filter: { callerAppId: app }, sort: [{ fieldName: 'createdDate', order: 'ASC' }] });
    const expected = all.filter((t) => t.callerAppId === app).reverse();
    expect(expected.length).toBeGreaterThan(7);
    expect(seen.map((t) => t.id)).toEqual(expected.map((t) => t.id));
  });

  test('inserts during a walk cause neither gaps nor duplicates (keyset, not offset)', async () => {
    const acct = sb.createAccount({ periodic: 1000, history: 40 });
    const before = sb.transactionsOf(acct.accountId).map((t) => t.id);
    const first = await query({ query: { cursorPaging: { limit: 10 } } }, acct);
    // New charges are newer than everything, so in DESC order they land before the cursor.
    for (let i = 0; i < 3; i++) await call(agent, sb.url, acct, '/charge', { body: chargeBody(1) });
    const seen = [...first.json.creditTransactions];
    let next = first.json.pagingMetadata.cursors.next;
    while (next) {
      const r = await query({ query: { cursorPaging: { cursor: next } } }, acct);
      seen.push(...r.json.creditTransactions);
      next = r.json.pagingMetadata.cursors.next;
    }
    expect(seen.map((t) => t.id)).toEqual(before);
  });

  test('in an ASC walk, charges made meanwhile appear once, at the end', async () => {
    const acct = sb.createAccount({ periodic: 1000, history: 25 });
    const before = sb
      .transactionsOf(acct.accountId)
      .map((t) => t.id)
      .reverse();
    const asc = [{ fieldName: 'createdDate', order: 'ASC' }];
    const first = await query({ query: { sort: asc, cursorPaging: { limit: 10 } } }, acct);
    const added: string[] = [];
    for (let i = 0; i < 3; i++)
      added.push((await call(agent, sb.url, acct, '/charge', { body: chargeBody(1) })).json.creditTransaction.id);
    const seen = [...first.json.creditTransactions];
    let next = first.json.pagingMetadata.cursors.next;
    while (next) {
      const r = await query({ query: { cursorPaging: { cursor: next } } }, acct);
      seen.push(...r.json.creditTransactions);
      next = r.json.pagingMetadata.cursors.next;
    }
    const sortedAdded = sb
      .transactionsOf(acct.accountId)
      .slice(0, 3)
      .map((t) => t.id)
      .reverse();
    expect(new Set(added)).toEqual(new Set(sortedAdded));
    expect(seen.map((t) => t.id)).toEqual([...before, ...sortedAdded]);
  });

  test('a prev cursor returns the previous page in the same order', async () => {
    const p1 = await query({ query: { cursorPaging: { limit: 7 } } });
    const p2 = await query({ query: { cursorPaging: { cursor: p1.json.pagingMetadata.cursors.next } } });
    expect(p2.json.pagingMetadata.cursors.prev).toEqual(expect.any(String));
    const back = await query({ query: { cursorPaging: { cursor: p2.json.pagingMetadata.cursors.prev } } });
    expect(back.json.creditTransactions).toEqual(p1.json.creditTransactions);
    expect(back.json.pagingMetadata.cursors.prev).toBeUndefined();
    expect(back.json.pagingMetadata.hasNext).toBe(true);
  });

  test('a limit on a later page overrides the one in the cursor', async () => {
    const p1 = await query({ query: { cursorPaging: { limit: 3 } } });
    const p2 = await query({ query: { cursorPaging: { cursor: p1.json.pagingMetadata.cursors.next, limit: 5 } } });
    expect(p2.json.creditTransactions.map((t: WireTransaction) => t.id)).toEqual(all.slice(3, 8).map((t) => t.id));
  });
});

describe('filters', () => {
  const ids = (r: { json: { creditTransactions: WireTransaction[] } }): string[] =>
    r.json.creditTransactions.map((t) => t.id).sort();
  const expectIds = (txs: WireTransaction[]): string[] => txs.map((t) => t.id).sort();
  const q = (filter: unknown) => query({ query: { filter, cursorPaging: { limit: 100 } } });

  test('a bare value means $eq, and $eq matches exactly', async () => {
    const t = all[17];
    expect(ids(await q({ id: t.id }))).toEqual([t.id]);
    expect(ids(await q({ idempotencyKey: { $eq: t.idempotencyKey } }))).toEqual([t.id]);
  });

  test('$ne excludes, and includes transactions without the field', async () => {
    const ref = all.find((t) => t.externalRefId)?.externalRefId;
    const expected = all.filter((t) => t.externalRefId !== ref);
    const r = await walkAll({ filter: { externalRefId: { $ne: ref } } }, sb.demo, 100);
    expect(r.map((t) => t.id).sort()).toEqual(expectIds(expected));
    expect(expected.some((t) => t.externalRefId === undefined)).toBe(true);
  });

  test('$in selects a batch of ids in one call (up to 100 values)', async () => {
    const batch = all.slice(100, 200).map((t) => t.id);
    const r = await q({ id: { $in: batch } });
    expect(ids(r)).toEqual([...batch].sort());
  });

  test('$nin excludes values', async () => {
    const apps = [...new Set(all.map((t) => t.callerAppId))];
    const r = await walkAll({ filter: { callerAppId: { $nin: apps.slice(1) } } }, sb.demo, 100);
    expect(r.map((t) => t.id).sort()).toEqual(expectIds(all.filter((t) => t.callerAppId === apps[0])));
  });

  test('$gt $gte $lt $lte on createdDate compare as time, not text', async () => {
    const pivot = all[150];
    // Same instant written with an offset: text comparison would disagree.
    const d = new Date(ms(pivot));
    const offsetForm = new Date(ms(pivot) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(Date.parse(offsetForm)).toBe(d.getTime());
    const cases: Array<[string, (t: WireTransaction) => boolean]> = [
      ['$gt', (t) => ms(t) > d.getTime()],
      ['$gte', (t) => ms(t) >= d.getTime()],
      ['$lt', (t) => ms(t) < d.getTime()],
      ['$lte', (t) => ms(t) <= d.getTime()],
    ];
    for (const [op, pred] of cases) {
      const r = await walkAll({ filter: { createdDate: { [op]: offsetForm } } }, sb.demo, 100);
      expect(r.map((t) => t.id).sort()).toEqual(expectIds(all.filter(pred)));
    }
  });

  test('operators on one field combine as AND, and fields combine as AND', async () => {
    const from = all[200].createdDate;
    const to = all[100].createdDate;
    const app = all[150].callerAppId;
    const r = await walkAll({ filter: { createdDate: { $gte: from, $lt: to }, callerAppId: app } }, sb.demo, 100);
    const expected = all.filter(
      (t) => ms(t) >= Date.parse(from ?? '') && ms(t) < Date.parse(to ?? '') && t.callerAppId === app,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(r.map((t) => t.id).sort()).toEqual(expectIds(expected));
  });
});

describe('query validation', () => {
  const violationOf = async (body: unknown) => {
    const r = await query(body);
    expect(r.status).toBe(400);
    return r.json.details.validationError.fieldViolations[0];
  };

  test('an unknown filter field is 400', async () => {
    expect((await violationOf({ query: { filter: { description: 'x' } } })).field).toBe('query.filter.description');
  });

  test('an unknown operator is 400', async () => {
    expect((await violationOf({ query: { filter: { id: { $regex: 'x' } } } })).field).toBe('query.filter.id.$regex');
  });

  test('$in with more than 100 values is 400', async () => {
    const values = Array.from({ length: 101 }, () => randomUUID());
    expect((await violationOf({ query: { filter: { id: { $in: values } } } })).violatedRule).toBe('MAX_SIZE');
  });

  test('an unparseable createdDate is 400', async () => {
    expect((await violationOf({ query: { filter: { createdDate: { $gt: 'yesterday' } } } })).violatedRule).toBe(
      'FORMAT',
    );
  });

  test('limit above 100 is 400, and 100 is fine', async () => {
    expect((await violationOf({ query: { cursorPaging: { limit: 101 } } })).field).toBe('query.cursorPaging.limit');
    expect((await query({ query: { cursorPaging: { limit: 100 } } })).json.creditTransactions).toHaveLength(100);
  });

  test('sorting by anything but createdDate, a bad order or more than 5 entries is 400', async () => {
    await violationOf({ query: { sort: [{ fieldName: 'id' }] } });
    await violationOf({ query: { sort: [{ fieldName: 'createdDate', order: 'UP' }] } });
    await violationOf({ query: { sort: Array.from({ length: 6 }, () => ({ fieldName: 'createdDate' })) } });
  });

  test('a malformed cursor is 400', async () => {
    expect((await violationOf({ query: { cursorPaging: { cursor: 'garbage!' } } })).field).toBe(
      'query.cursorPaging.cursor',
    );
    const fake = Buffer.from('{"v":2}').toString('base64url');
    await violationOf({ query: { cursorPaging: { cursor: fake } } });
  });

  test("another account's cursor is 400", async () => {
    const r = await query({ query: { cursorPaging: { limit: 5 } } }, sb.other);
    await violationOf({ query: { cursorPaging: { cursor: r.json.pagingMetadata.cursors.next } } });
  });

  test('a cursor sent together with a filter is 400', async () => {
    const r = await query({ query: { cursorPaging: { limit: 5 } } });
    await violationOf({
      query: { filter: { id: all[0].id }, cursorPaging: { cursor: r.json.pagingMetadata.cursors.next } },
    });
  });
});
