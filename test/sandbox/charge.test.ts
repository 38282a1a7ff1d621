import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { type Sandbox, type SandboxAccount, startSandbox } from '../../src/sandbox';
import { call, chargeBody, makeAgent } from './helpers';

let sb: Sandbox;
let agent: Agent;

beforeAll(async () => {
  sb = await startSandbox({ historySize: 0 });
  agent = makeAgent();
});
afterAll(async () => {
  await agent.close();
  await sb.close();
});

const charge = (account: SandboxAccount, body: unknown) => call(agent, sb.url, account, '/charge', { body });

describe('debiting', () => {
  test('debits periodic credits first, then top-up credits', async () => {
    const acct = sb.createAccount({ periodic: 10, topUp: 5 });
    expect((await charge(acct, chargeBody(8))).status).toBe(200);
    expect(sb.balanceOf(acct.accountId)).toEqual({ periodic: '2', topUp: '5', available: '7' });
    expect((await charge(acct, chargeBody(3.5))).status).toBe(200);
    expect(sb.balanceOf(acct.accountId)).toEqual({ periodic: '0', topUp: '3.5', available: '3.5' });
    const balance = await call(agent, sb.url, acct, '/balance');
    expect(balance.json.periodicCredits.balance).toBe(0);
    expect(balance.json.topUpCredits.balance).toBe(3.5);
    expect(balance.json.creditBalanceBreakdown[0].usageRules[0].balance).toBe(0);
  });

  test('ten charges of 0.1 leave exactly 1 less (exact decimals)', async () => {
    const acct = sb.createAccount({ periodic: '0.7', topUp: '5' });
    for (let i = 0; i < 10; i++) expect((await charge(acct, chargeBody(0.1))).status).toBe(200);
    expect(sb.balanceOf(acct.accountId)).toEqual({ periodic: '0', topUp: '4.7', available: '4.7' });
    expect((await call(agent, sb.url, acct, '/balance')).json.topUpCredits.balance).toBe(4.7);
  });

  test('credits sent as a numeric string are accepted', async () => {
    const acct = sb.createAccount({ periodic: 5 });
    const r = await charge(acct, chargeBody('1.25'));
    expect(r.json.creditTransaction.amount.credits).toBe(1.25);
    expect(sb.balanceOf(acct.accountId).available).toBe('3.75');
  });

  test('insufficient credits is 428 INSUFFICIENT_CREDITS with data, and nothing is debited', async () => {
    const acct = sb.createAccount({ periodic: 2, topUp: '0.5' });
    const r = await charge(acct, chargeBody(2.75));
    expect(r.status).toBe(428);
    expect(r.json.details.applicationError).toEqual({
      code: 'INSUFFICIENT_CREDITS',
      description: expect.any(String),
      data: { availableCredits: 2.5, requiredCredits: 2.75 },
    });
    expect(sb.balanceOf(acct.accountId).available).toBe('2.5');
    expect(sb.transactionsOf(acct.accountId)).toHaveLength(0);
    expect((await charge(acct, chargeBody(2.5))).status).toBe(200);
    expect(sb.balanceOf(acct.accountId).available).toBe('0');
  });
});

describe('pricing', () => {
  test('without a cost the sandbox prices credits at the default rate and formats it', async () => {
    const acct = sb.createAccount({ periodic: 1000 });
    const r = await charge(acct, chargeBody(300));
    expect(r.json.creditTransaction.amount.cost).toEqual({
      amount: '15',
      currencyCode: 'USD',
      formattedValue: '$15.00',
    });
  });

  test('a given cost is kept and its formattedValue computed by the sandbox', async () => {
    const acct = sb.createAccount({ periodic: 1_000_000 });
    const r = await charge(
      acct,
      chargeBody(2, { amount: { credits: 2, cost: { amount: '12345.67', currencyCode: 'EUR' } } }),
    );
    expect(r.json.creditTransaction.amount.cost).toEqual({
      amount: '12345.67',
      currencyCode: 'EUR',
      formattedValue: '€12,345.67',
    });
  });

  test('creditPrice and currencyCode are configurable', async () => {
    const other = await startSandbox({ creditPrice: '0.2', currencyCode: 'GBP', historySize: 0 });
    try {
      const r = await call(agent, other.url, other.demo, '/charge', { body: chargeBody(2.5) });
      expect(r.json.creditTransaction.amount.cost).toEqual({
        amount: '0.5',
        currencyCode: 'GBP',
        formattedValue: '£0.50',
      });
    } finally {
      await other.close();
    }
  });
});

describe('idempotency', () => {
  test('same key and same body returns the original transaction without a second debit', async () => {
    const acct = sb.createAccount({ periodic: 10 });
    const body = chargeBody(2.5, { description: 'x', metadata: { a: 1, b: [1, 2] }, externalRefId: randomUUID() });
    const first = await charge(acct, body);
    // Same normalized body: 2.50 equals 2.5, and metadata key order does not matter.
    const again = await charge(acct, { ...body, amount: { credits: '2.50' }, metadata: { b: [1, 2], a: 1 } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(sb.balanceOf(acct.accountId).available).toBe('7.5');
    expect(sb.transactionsOf(acct.accountId)).toHaveLength(1);
  });

  test('a replay succeeds even when the balance could no longer pay for it', async () => {
    const acct = sb.createAccount({ periodic: 3 });
    const body = chargeBody(3);
    const first = await charge(acct, body);
    const again = await charge(acct, body);
    expect(again.status).toBe(200);
    expect(again.json.creditTransaction.id).toBe(first.json.creditTransaction.id);
  });

  test('same key with a different body is 409 IDEMPOTENCY_KEY_REUSED, nothing debited', async () => {
    const acct = sb.createAccount({ periodic: 10 });
    const body = chargeBody(1, { description: 'one' });
    await charge(acct, body);
    for (const changed of [
      { ...body, amount: { credits: 2 } },
      { ...body, description: 'two' },
      { ...body, metadata: { k: 1 } },
      { ...body, amount: { credits: 1, cost: { amount: '0.05', currencyCode: 'USD' } } },
    ]) {
      const r = await charge(acct, changed);
      expect(r.status).toBe(409);
      expect(r.json.details.applicationError.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(sb.balanceOf(acct.accountId).available).toBe('9');
  });

  test('keys are per account: the same key in another account is a new charge', async () => {
    const a = sb.createAccount({ periodic: 5 });
    const b = sb.createAccount({ periodic: 5 });
    const body = chargeBody(1);
    const ra = await charge(a, body);
    const rb = await charge(b, body);
    expect(rb.status).toBe(200);
    expect(rb.json.creditTransaction.id).not.toBe(ra.json.creditTransaction.id);
  });

  test('with deduplication off, a repeated key debits twice', async () => {
    const acct = sb.createAccount({ periodic: 10 });
    const body = chargeBody(2);
    sb.setDeduplication(false);
    try {
      const first = await charge(acct, body);
      const second = await charge(acct, body);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.json.creditTransaction.id).not.toBe(first.json.creditTransaction.id);
      expect(sb.balanceOf(acct.accountId).available).toBe('6');
      expect(sb.transactionsOf(acct.accountId)).toHaveLength(2);
    } finally {
      sb.setDeduplication(true);
    }
  });

  test('the deduplicate option sets the initial mode', async () => {
    const other = await startSandbox({ deduplicate: false, historySize: 0 });
    try {
      const body = chargeBody(1);
      await call(agent, other.url, other.demo, '/charge', { body });
      await call(agent, other.url, other.demo, '/charge', { body });
      expect(other.balanceOf(other.demo.accountId).available).toBe('288');
    } finally {
      await other.close();
    }
  });
});

describe('validation', () => {
  const violations = async (body: unknown) => {
    const acct = sb.createAccount({ periodic: 1000 });
    const r = await charge(acct, body);
    expect(r.status).toBe(400);
    expect(sb.balanceOf(acct.accountId).available).toBe('1000');
    return r.json.details.validationError.fieldViolations.map((v: { field: string; violatedRule: string }) => [
      v.field,
      v.violatedRule,
    ]);
  };

  test('a description over 100 characters is MAX_LENGTH (100 is fine)', async () => {
    expect(await violations(chargeBody(1, { description: 'd'.repeat(101) }))).toEqual([['description', 'MAX_LENGTH']]);
    const acct = sb.createAccount({ periodic: 1 });
    expect((await charge(acct, chargeBody(1, { description: 'd'.repeat(100) }))).status).toBe(200);
  });

  test('malformed GUIDs in externalRefId and idempotencyKey are FORMAT', async () => {
    expect(await violations({ amount: { credits: 1 }, externalRefId: 'ref-1', idempotencyKey: 'key-1' })).toEqual([
      ['externalRefId', 'FORMAT'],
      ['idempotencyKey', 'FORMAT'],
    ]);
  });

  test('a missing idempotencyKey is REQUIRED_FIELD', async () => {
    expect(await violations({ amount: { credits: 1 } })).toEqual([['idempotencyKey', 'REQUIRED_FIELD']]);
  });

  test.each([
    ['missing', undefined],
    ['zero', 0],
    ['negative', -1],
    ['not a number', 'lots'],
    ['infinite', 'Infinity'],
  ])('credits %s is a violation of amount.credits', async (_name, credits) => {
    const fields = await violations({ amount: { credits }, idempotencyKey: randomUUID() });
    expect(fields).toHaveLength(1);
    expect(fields[0][0]).toBe('amount.credits');
  });

  test('a bad cost amount or currency names the cost field', async () => {
    const bad = await violations({
      amount: { credits: 1, cost: { amount: '1,5', currencyCode: 'usd' } },
      idempotencyKey: randomUUID(),
    });
    expect(bad).toEqual([
      ['amount.cost.amount', 'FORMAT'],
      ['amount.cost.currencyCode', 'FORMAT'],
    ]);
    const negative = await violations({
      amount: { credits: 1, cost: { amount: '-3', currencyCode: 'USD' } },
      idempotencyKey: randomUUID(),
    });
    expect(negative).toEqual([['amount.cost.amount', 'DECIMAL_GTE']]);
  });
});
