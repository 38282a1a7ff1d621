import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { type Sandbox, startSandbox } from '../../src/sandbox';
import { accountHeaders } from '../support/accounts';
import { call, chargeBody, makeAgent } from './helpers';

let sb: Sandbox;
let agent: Agent;

beforeAll(async () => {
  sb = await startSandbox();
  agent = makeAgent();
});
afterAll(async () => {
  await agent.close();
  await sb.close();
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Get Balance', () => {
  test('returns periodic, top-up and the monthly breakdown of the demo account as JSON numbers', async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))
      .toISOString()
      .replace('.000Z', 'Z');
    expect(r.json).toEqual({
      periodicCredits: { balance: 250, cap: 250 },
      topUpCredits: { balance: 40 },
      creditBalanceBreakdown: [
        {
          subscriptionId: expect.stringMatching(GUID),
          usageRules: [{ period: 'MONTH', balance: 250, cap: 250, resetDate: reset }],
        },
      ],
    });
  });

  test('every response, errors included, carries a fresh x-wix-request-id', async () => {
    const a = await call(agent, sb.url, sb.demo, '/balance');
    const b = await call(agent, sb.url, sb.demo, '/balance', { noAuth: true });
    const c = await call(agent, sb.url, sb.demo, '/nope/deeper', { method: 'POST' });
    const ids = [a, b, c].map((r) => r.headers['x-wix-request-id']);
    ids.forEach((id) => expect(id).toMatch(GUID));
    expect(new Set(ids).size).toBe(3);
  });
});

describe('authentication', () => {
  test('missing API key is 401 UNAUTHENTICATED', async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', {
      noAuth: true,
      headers: { 'wix-account-id': sb.demo.accountId },
    });
    expect(r.status).toBe(401);
    expect(r.json.details.applicationError.code).toBe('UNAUTHENTICATED');
  });

  test('unknown API key is 401 UNAUTHENTICATED', async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', { headers: { authorization: 'not-a-key' } });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      message: expect.any(String),
      details: { applicationError: { code: 'UNAUTHENTICATED', description: expect.any(String), data: {} } },
    });
  });

  test('a Bearer prefix on the key is tolerated', async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', {
      headers: { authorization: `Bearer ${sb.demo.apiKey}` },
    });
    expect(r.status).toBe(200);
  });

  test("one account's key with the other account's wix-account-id is 403 FORBIDDEN", async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', { headers: { 'wix-account-id': sb.other.accountId } });
    expect(r.status).toBe(403);
    expect(r.json.details.applicationError.code).toBe('FORBIDDEN');
  });

  test('the own wix-site-id instead of the account id works', async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', {
      noAuth: true,
      headers: { authorization: sb.demo.apiKey, 'wix-site-id': sb.demo.siteId },
    });
    expect(r.status).toBe(200);
  });

  test("another account's site id is 403", async () => {
    const r = await call(agent, sb.url, sb.demo, '/balance', {
      noAuth: true,
      headers: { authorization: sb.demo.apiKey, 'wix-site-id': sb.other.siteId },
    });
    expect(r.status).toBe(403);
  });

  test('neither or both context headers is 403', async () => {
    const none = await call(agent, sb.url, sb.demo, '/balance', {
      noAuth: true,
      headers: { authorization: sb.demo.apiKey },
    });
    const both = await call(agent, sb.url, sb.demo, '/balance', { headers: { 'wix-site-id': sb.demo.siteId } });
    expect([none.status, both.status]).toEqual([403, 403]);
  });
});

describe('routing and bodies', () => {
  test('an unknown route is 404', async () => {
    const r = await call(agent, sb.url, sb.demo, '/refund', { method: 'POST' });
    expect(r.status).toBe(404);
    expect(r.json.details.applicationError.code).toBe('NOT_FOUND');
  });

  test('a non-JSON body is 400', async () => {
    const r = await call(agent, sb.url, sb.demo, '/charge', { rawBody: '{"amount": ' });
    expect(r.status).toBe(400);
    expect(r.json.details.validationError.fieldViolations).toHaveLength(1);
  });

  test('a JSON array body is 400', async () => {
    const r = await call(agent, sb.url, sb.demo, '/query', { rawBody: '[]' });
    expect(r.status).toBe(400);
  });
});

describe('Get Transaction', () => {
  test('returns a charged transaction with the full object shape', async () => {
    const body = chargeBody(2.5, {
      description: 'Image generation',
      externalRefId: randomUUID(),
      metadata: { feature: 'image', nested: { n: 1 } },
    });
    const charged = await call(agent, sb.url, sb.demo, '/charge', { body });
    expect(charged.status).toBe(200);
    const tx = charged.json.creditTransaction;
    expect(tx).toEqual({
      id: expect.stringMatching(GUID),
      revision: '1',
      createdDate: expect.any(String),
      updatedDate: tx.createdDate,
      amount: { credits: 2.5, cost: { amount: '0.125', currencyCode: 'USD', formattedValue: '$0.13' } },
      description: 'Image generation',
      callerAppId: expect.stringMatching(GUID),
      externalRefId: body.externalRefId,
      metadata: { feature: 'image', nested: { n: 1 } },
      idempotencyKey: body.idempotencyKey,
    });
    expect(new Date(tx.createdDate).toISOString()).toBe(tx.createdDate);

    const got = await call(agent, sb.url, sb.demo, `/${tx.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ creditTransaction: tx });
  });

  test('an unknown id is 404 NOT_FOUND', async () => {
    const r = await call(agent, sb.url, sb.demo, `/${randomUUID()}`);
    expect(r.status).toBe(404);
    expect(r.json.details.applicationError.code).toBe('NOT_FOUND');
  });

  test("another account's transaction is 404, not leaked", async () => {
    const otherTx = sb.transactionsOf(sb.other.accountId)[0];
    const own = await call(agent, sb.url, sb.other, `/${otherTx.id}`);
    expect(own.status).toBe(200);
    const r = await call(agent, sb.url, sb.demo, `/${otherTx.id}`);
    expect(r.status).toBe(404);
  });

  test("query never returns another tenant's transactions", async () => {
    const otherIds = sb.transactionsOf(sb.other.accountId).map((t) => t.id);
    const r = await call(agent, sb.url, sb.demo, '/query', {
      body: { query: { filter: { id: { $in: otherIds.slice(0, 50) } } } },
    });
    expect(r.status).toBe(200);
    expect(r.json.creditTransactions).toEqual([]);
  });
});

describe('accounts', () => {
  test('seeded demo data is deterministic for a seed and lies in the past 90 days', async () => {
    const again = await startSandbox();
    try {
      // Charges made by earlier tests are newer than any seeded entry, so the oldest 300 are the seed.
      const seededA = sb.transactionsOf(sb.demo.accountId).slice(-300);
      const b = again.transactionsOf(again.demo.accountId);
      expect(b).toHaveLength(300);
      expect(seededA).toEqual(b);
      const oldest = Date.parse(b[b.length - 1].createdDate ?? '');
      expect(Date.now() - oldest).toBeLessThanOrEqual(91 * 86_400_000);
      expect(new Set(b.map((t) => t.callerAppId)).size).toBeGreaterThanOrEqual(3);
      expect(new Set(b.map((t) => t.externalRefId)).size).toBeGreaterThan(5);
    } finally {
      await again.close();
    }
  });

  test('historic transactions do not change the balance', () => {
    const fresh = sb.createAccount({ periodic: 10, topUp: 5, history: 30 });
    expect(sb.transactionsOf(fresh.accountId)).toHaveLength(30);
    expect(sb.balanceOf(fresh.accountId)).toEqual({ periodic: '10', topUp: '5', available: '15' });
  });

  test('a created account authenticates with its own key and starts with no history', async () => {
    const acct = sb.createAccount({ periodic: '12.5', periodicCap: 100, topUp: '0.5' });
    const r = await call(agent, sb.url, acct, '/balance');
    expect(r.json.periodicCredits).toEqual({ balance: 12.5, cap: 100 });
    expect(r.json.topUpCredits).toEqual({ balance: 0.5 });
    const q = await call(agent, sb.url, acct, '/query', { body: { query: {} } });
    expect(q.json).toEqual({ creditTransactions: [], pagingMetadata: { count: 0, cursors: {}, hasNext: false } });
    expect(accountHeaders(acct)['wix-account-id']).toBe(acct.accountId);
  });
});
