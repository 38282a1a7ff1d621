/**
 * Simple query fields resolve without type-graphql's middleware chain, and still check the
 * caller's scopes first; fields with input objects keep type-graphql's resolver.
 */
import 'reflect-metadata';
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { Caller } from '../../src/auth/caller';
import { Scope } from '../../src/auth/scopes';
import { installDirectResolvers } from '../../src/graphql/direct-resolvers';
import { buildApiSchema } from '../../src/graphql/schema';
import { CreditBalanceResolver } from '../../src/graphql/resolvers/credit-balance.resolver';
import { CreditTransactionResolver } from '../../src/graphql/resolvers/credit-transaction.resolver';
import { ChargeCreditsResolver } from '../../src/graphql/resolvers/charge-credits.resolver';

const caller = (scopes: string[] | null): Caller => ({
  enforced: true,
  principal: scopes ? { subject: 's', scopes: new Set(scopes), budget: null, expiresAtMs: Date.now() + 60_000 } : null,
  address: '127.0.0.1',
  forwarded: false,
});

function queryResolver(schema: GraphQLSchema, name: string): GraphQLFieldResolver<unknown, unknown> {
  const resolve = schema.getQueryType()?.getFields()[name]?.resolve;
  if (!resolve) throw new Error(`no resolver for ${name}`);
  return resolve;
}

describe('direct resolvers', () => {
  const schema = buildApiSchema();
  const info = {} as GraphQLResolveInfo;

  test('replace the simple fields only: scalar arguments and the context', () => {
    expect(
      installDirectResolvers(buildApiSchema(), [
        CreditBalanceResolver,
        CreditTransactionResolver,
        ChargeCreditsResolver,
      ]).sort(),
    ).toEqual(['Query.creditBalance', 'Query.creditTransaction']);
  });

  test('call the resolver method with the argument and the context', async () => {
    const transaction = jest.fn(async (id: string) => ({ id }));
    const ctx = { caller: caller([Scope.READ]), reader: { transaction } };
    const id = '4F8B9A61-3C2D-4E5F-8A7B-1C2D3E4F5A6B'; // parsed by the method: handed on in lower case
    await expect(queryResolver(schema, 'creditTransaction')(undefined, { id }, ctx, info)).resolves.toEqual({
      id: id.toLowerCase(),
    });
    expect(transaction).toHaveBeenCalledWith(id.toLowerCase());
  });

  test('refuse an id that is not a GUID with BAD_USER_INPUT on id, reading nothing (where no plugin ran first)', () => {
    const transaction = jest.fn();
    const ctx = { caller: caller([Scope.READ]), reader: { transaction } };
    expect(() => queryResolver(schema, 'creditTransaction')(undefined, { id: 'x' }, ctx, info)).toThrow(
      expect.objectContaining({
        message: 'id must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b.',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'id' }),
      }),
    );
    expect(transaction).not.toHaveBeenCalled();
  });

  test('check scopes before the method runs: FORBIDDEN naming the scope, UNAUTHENTICATED without a token', () => {
    const balance = jest.fn();
    const resolve = queryResolver(schema, 'creditBalance');
    expect(() => resolve(undefined, {}, { caller: caller([]), reader: { balance } }, info)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: Scope.READ }),
      }),
    );
    expect(() => resolve(undefined, {}, { caller: caller(null), reader: { balance } }, info)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    );
    expect(balance).not.toHaveBeenCalled();
  });
});
