/** The Wix client against the sandbox upstream, over real HTTP on loopback. */
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { toGuid } from '../../src/domain/guid';
import type { UpstreamCallOptions } from '../../src/domain/upstream-call';
import { WixClient } from '../../src/wix/wix-client';
import { newGuid } from '../support/guids';
import { WixHttpError, WixTimeoutError } from '../../src/wix/wix-errors';
import { LOAD_HEADROOM_MS, timed } from '../support/time';

let sandbox: Sandbox;
let client: WixClient;
let demo: UpstreamCallOptions;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11 });
  client = new WixClient({ baseUrl: sandbox.url, attemptTimeoutMs: 1_000 });
  demo = { credentials: { authorization: sandbox.demo.apiKey, accountId: sandbox.demo.accountId } };
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

beforeEach(() => {
  sandbox.faults.clear();
  sandbox.counters.reset();
});

const KEY = newGuid;
const UNKNOWN_ID = toGuid('00000000-0000-4000-8000-000000000000');

describe('WixClient against the sandbox', () => {
  it('gets the balance in the domain shape', async () => {
    const balance = await client.getBalance(demo);
    expect(balance.availableCredits).toBe(balance.periodicCredits.balance + balance.topUpCredits.balance);
    expect(balance.breakdown[0]?.usageRules[0]?.period).toBe('MONTH');
  });

  it('charges, then gets the transaction by id', async () => {
    const account = sandbox.createAccount({ periodic: 10, topUp: 5 });
    const options = { credentials: { authorization: account.apiKey, accountId: account.accountId } };
    const tx = await client.charge(options, {
      credits: 2.5,
      idempotencyKey: KEY(),
      description: 'Image generation',
      metadata: { feature: 'image' },
    });
    expect(tx.amount?.credits).toBe(2.5);
    expect(tx.amount?.cost?.formattedValue).toBeTruthy();
    await expect(client.getTransaction(options, tx.id)).resolves.toEqual(tx);
    expect(sandbox.balanceOf(account.accountId).available).toBe('12.5');
  });

  it("answers null for an unknown id and for another account's id", async () => {
    const foreign = sandbox.transactionsOf(sandbox.other.accountId)[0]!;
    await expect(client.getTransaction(demo, UNKNOWN_ID)).resolves.toBeNull();
    await expect(client.getTransaction(demo, toGuid(foreign.id))).resolves.toBeNull();
  });

  it.each(['DESC', 'ASC'] as const)(
    'walks the whole seeded history through cursor pages (%s) with no duplicate and no gap',
    async (order) => {
      const seen: string[] = [];
      let page = await client.queryTransactions(demo, { order, limit: 37 });
      seen.push(...page.items.map((t) => t.id));
      while (page.nextCursor) {
        page = await client.queryTransactions(demo, { cursor: page.nextCursor, limit: 37 });
        seen.push(...page.items.map((t) => t.id));
      }
      const all = sandbox.transactionsOf(sandbox.demo.accountId).map((t) => t.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(order === 'DESC' ? all : [...all].reverse());
      expect(seen.length).toBeGreaterThanOrEqual(300);
    },
  );

  it('gets 150 ids in two $in query calls, in input order, with null for unknown ids', async () => {
    const ids = sandbox
      .transactionsOf(sandbox.demo.accountId)
      .slice(0, 148)
      .map((t) => toGuid(t.id));
    const unknown = [newGuid(), newGuid()];
    const input = [...ids.slice(0, 70), unknown[0]!, ...ids.slice(70), unknown[1]!].reverse();
    expect(input).toHaveLength(150);
    const result = await client.getTransactionsByIds(demo, input);
    expect(sandbox.counters.get('query')).toBe(2);
    expect(result.map((t) => t?.id ?? null)).toEqual(input.map((id) => (unknown.includes(id) ? null : id)));
  });

  it('finds transactions by ids in any letter case (canonical once parsed), in one call, in input order', async () => {
    const [a, b] = sandbox
      .transactionsOf(sandbox.demo.accountId)
      .slice(0, 2)
      .map((t) => t.id);
    const input = [toGuid(a!.toUpperCase()), toGuid(b!), toGuid(a!), UNKNOWN_ID];
    const result = await client.getTransactionsByIds(demo, input);
    expect(sandbox.counters.get('query')).toBe(1);
    expect(result.map((t) => t?.id ?? null)).toEqual([a, b, a, null]);
  });

  it('times out a hanging upstream within its attempt limit', async () => {
    sandbox.faults.add({ routes: ['balance'], kind: 'hang' });
    const { value, ms } = await timed(() => client.getBalance(demo).catch((error: unknown) => error));
    expect(value).toBeInstanceOf(WixTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1_000 + LOAD_HEADROOM_MS);
  });

  it("decodes 401 for a wrong key and 403 for another account's context", async () => {
    const wrongKey = client.getBalance({ credentials: { authorization: 'wrong', accountId: sandbox.demo.accountId } });
    await expect(wrongKey).rejects.toMatchObject({ status: 401 });
    const foreign = client.getBalance({
      credentials: { authorization: sandbox.demo.apiKey, accountId: sandbox.other.accountId },
    });
    await expect(foreign).rejects.toMatchObject({ status: 403 });
    await expect(foreign).rejects.toBeInstanceOf(WixHttpError);
  });

  it('decodes the insufficient-credits answer with its data and the Wix request id', async () => {
    const account = sandbox.createAccount({ periodic: 1, topUp: 0 });
    const options = { credentials: { authorization: account.apiKey, accountId: account.accountId } };
    const error = await client.charge(options, { credits: 5, idempotencyKey: KEY() }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 428,
      code: 'INSUFFICIENT_CREDITS',
      data: { availableCredits: 1, requiredCredits: 5 },
    });
    expect((error as WixHttpError).requestId).toMatch(/\w+/);
  });

  it('decodes validation errors with their field violations', async () => {
    const error = await client
      .charge(demo, { credits: 1, idempotencyKey: KEY(), description: 'x'.repeat(101) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      fieldViolations: [expect.objectContaining({ field: 'description', violatedRule: 'MAX_LENGTH' })],
    });
  });

  it('works with a site id as the context header', async () => {
    const balance = await client.getBalance({
      credentials: { authorization: sandbox.demo.apiKey, siteId: sandbox.demo.siteId },
    });
    expect(balance.periodicCredits.cap).toBe(250);
  });
});
