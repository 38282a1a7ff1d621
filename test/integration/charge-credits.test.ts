/** chargeCredits end to end against the sandbox ledger. */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { ChargeCreditsDocument, type ChargeCreditsMutationVariables } from '../../generated/graphql';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  // The gateway holds the credentials of a fresh account so balances are exact and known.
  h = await startHarness({ credentials: (s) => s.createAccount({ periodic: 20, topUp: 5 }) });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const charge = (input: Partial<ChargeCreditsMutationVariables['input']>) =>
  h.graphql(ChargeCreditsDocument, { input: { credits: 1, idempotencyKey: randomUUID(), ...input } });

describe('chargeCredits', () => {
  it('lowers the balance by exactly the credits charged and returns the balance after the debit', async () => {
    const before = await h.graphql('{ creditBalance { availableCredits } }');
    const available = (before.body.data as { creditBalance: { availableCredits: number } }).creditBalance
      .availableCredits;
    const res = await charge({
      credits: 2.5,
      description: 'Image generation',
      metadata: { feature: 'image' },
      externalRefId: randomUUID(),
    });
    const result = res.body.data!.chargeCredits;
    expect(result.__typename).toBe('CreditsCharged');
    if (result.__typename !== 'CreditsCharged') return;
    expect(result.transaction.amount?.credits).toBe(2.5);
    expect(result.transaction.amount?.cost?.formattedValue).toMatch(/^\$/);
    expect(result.balance.availableCredits).toBe(new Decimal(available).minus(2.5).toNumber());
    expect(h.sandbox.counters.get('charge')).toBe(1);
  });

  it('keeps decimal credits exact: ten charges of 0.1 lower the balance by exactly 1', async () => {
    const before = (await h.graphql('{ creditBalance { availableCredits } }')).body.data as {
      creditBalance: { availableCredits: number };
    };
    for (let i = 0; i < 10; i++)
      expect((await charge({ credits: 0.1 })).body.data!.chargeCredits.__typename).toBe('CreditsCharged');
    const after = (await h.graphql('{ creditBalance { availableCredits } }')).body.data as {
      creditBalance: { availableCredits: number };
    };
    expect(
      new Decimal(before.creditBalance.availableCredits).minus(after.creditBalance.availableCredits).toString(),
    ).toBe('1');
  });

  it('answers InsufficientCredits as data, with no debit', async () => {
    const before = (await h.graphql('{ creditBalance { availableCredits } }')).body.data as {
      creditBalance: { availableCredits: number };
    };
    const res = await charge({ credits: 10_000 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.chargeCredits).toMatchObject({
      __typename: 'InsufficientCredits',
      requiredCredits: 10_000,
      availableCredits: before.creditBalance.availableCredits,
    });
    const after = (await h.graphql('{ creditBalance { availableCredits } }')).body.data as {
      creditBalance: { availableCredits: number };
    };
    expect(after.creditBalance.availableCredits).toBe(before.creditBalance.availableCredits);
  });

  it('returns the same transaction for the same key and input, debiting once', async () => {
    const input = { credits: 1.25, idempotencyKey: randomUUID(), description: 'retry me' };
    const first = await charge(input);
    const balanceAfterFirst = (await h.graphql('{ creditBalance { availableCredits } }')).body.data;
    const second = await charge(input);
    const a = first.body.data!.chargeCredits;
    const b = second.body.data!.chargeCredits;
    expect(a.__typename).toBe('CreditsCharged');
    expect(b).toEqual(a);
    expect((await h.graphql('{ creditBalance { availableCredits } }')).body.data).toEqual(balanceAfterFirst);
  });

  it('answers IdempotencyKeyReused for the same key with a different input, without calling upstream', async () => {
    const idempotencyKey = randomUUID();
    await charge({ credits: 1, idempotencyKey });
    h.sandbox.counters.reset();
    const res = await charge({ credits: 2, idempotencyKey });
    expect(res.body.data!.chargeCredits).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey });
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it.each([
    ['credits of 0', { credits: 0 }, 'input.credits'],
    ['negative credits', { credits: -3 }, 'input.credits'],
    ['a 101-character description', { description: 'd'.repeat(101) }, 'input.description'],
    ['a malformed idempotencyKey', { idempotencyKey: 'abc' }, 'input.idempotencyKey'],
    ['a malformed externalRefId', { externalRefId: 'ref-1' }, 'input.externalRefId'],
    ['an unknown currency', { cost: { amount: '1.00', currencyCode: 'ABC' } }, 'input.cost.currencyCode'],
    ['metadata over 8 KiB', { metadata: { big: 'x'.repeat(9000) } }, 'input.metadata'],
    ['metadata 6 levels deep', { metadata: { a: { b: { c: { d: { e: { f: true } } } } } } }, 'input.metadata'],
  ])('rejects %s with BAD_USER_INPUT naming the field and zero upstream calls', async (_name, input, field) => {
    const res = await charge(input as Partial<ChargeCreditsMutationVariables['input']>);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.body.errors?.[0]?.message).toContain(field);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it.each([
    ['an exponent', '1e5'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
  ])('rejects a Decimal cost written with %s, naming the field, with zero upstream calls', async (_name, amount) => {
    const res = await charge({ cost: { amount, currencyCode: 'USD' } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('input.cost.amount');
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('rejects a Decimal given as a JSON number', async () => {
    const res = await h.graphql(ChargeCreditsDocument, {
      input: {
        credits: 1,
        idempotencyKey: randomUUID(),
        cost: { amount: 1.5 as unknown as string, currencyCode: 'USD' },
      },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('rejects JSONObject metadata that is not an object', async () => {
    const res = await h.graphql(ChargeCreditsDocument, {
      input: { credits: 1, idempotencyKey: randomUUID(), metadata: [1, 2] as unknown as Record<string, unknown> },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('resolves the balance of CreditsCharged only when selected', async () => {
    const res = await h.graphql(
      'mutation($k: ID!) { chargeCredits(input: { credits: 0.5, idempotencyKey: $k }) { __typename ... on CreditsCharged { transaction { id } } } }',
      { k: randomUUID() },
    );
    expect(res.body.errors).toBeUndefined();
    expect(h.sandbox.counters.get('balance')).toBe(0);
  });
});
