import { GraphQLError } from 'graphql';
import { jsonDepth } from '../../src/domain/charge-request';
import { validateChargeInput } from '../../src/graphql/validation/charge-input.validation';

const KEY = '4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';

function fieldOf(input: Parameters<typeof validateChargeInput>[0]): string | undefined {
  try {
    validateChargeInput(input);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.field as string;
  }
}

describe('chargeCredits input validation', () => {
  it('accepts a full valid input and normalizes nulls away', () => {
    expect(
      validateChargeInput({
        credits: 2.5,
        cost: { amount: '0.125', currencyCode: 'USD' },
        description: null,
        externalRefId: KEY,
        metadata: { a: 1 },
        idempotencyKey: KEY.toUpperCase(),
      }),
    ).toEqual({
      credits: 2.5,
      cost: { amount: '0.125', currencyCode: 'USD' },
      externalRefId: KEY,
      metadata: { a: 1 },
      idempotencyKey: KEY,
    });
  });

  it.each([
    ['zero credits', { credits: 0, idempotencyKey: KEY }, 'input.credits'],
    ['negative credits', { credits: -1, idempotencyKey: KEY }, 'input.credits'],
    ['infinite credits', { credits: Infinity, idempotencyKey: KEY }, 'input.credits'],
    [
      'a 101-character description',
      { credits: 1, description: 'x'.repeat(101), idempotencyKey: KEY },
      'input.description',
    ],
    ['a malformed idempotency key', { credits: 1, idempotencyKey: 'not-a-guid' }, 'input.idempotencyKey'],
    ['a malformed externalRefId', { credits: 1, externalRefId: '123', idempotencyKey: KEY }, 'input.externalRefId'],
    [
      'an unknown currency',
      { credits: 1, cost: { amount: '1.00', currencyCode: 'XYZ' }, idempotencyKey: KEY },
      'input.cost.currencyCode',
    ],
    [
      'a lowercase currency',
      { credits: 1, cost: { amount: '1.00', currencyCode: 'usd' }, idempotencyKey: KEY },
      'input.cost.currencyCode',
    ],
    [
      'a negative cost',
      { credits: 1, cost: { amount: '-1', currencyCode: 'USD' }, idempotencyKey: KEY },
      'input.cost.amount',
    ],
    [
      'metadata over 8 KiB',
      { credits: 1, metadata: { blob: 'x'.repeat(8200) }, idempotencyKey: KEY },
      'input.metadata',
    ],
    [
      'metadata deeper than 5',
      { credits: 1, metadata: { a: { b: { c: { d: { e: { f: 1 } } } } } }, idempotencyKey: KEY },
      'input.metadata',
    ],
  ])('rejects %s naming the field', (_name, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('accepts exactly 100 characters and metadata of depth 5', () => {
    expect(
      fieldOf({
        credits: 1,
        description: 'x'.repeat(100),
        metadata: { a: { b: { c: { d: { e: 1 } } } } },
        idempotencyKey: KEY,
      }),
    ).toBeUndefined();
  });

  it('measures JSON depth', () => {
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: { b: 1 } })).toBe(2);
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(jsonDepth('x')).toBe(0);
  });
});
