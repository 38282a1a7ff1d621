/**
 * Builds both schemas from the one set of type-graphql resolvers:
 *  - the API schema, served at /graphql to frontends (no federation internals);
 *  - the Federation 2 subgraph schema, served at /subgraph to the router, whose SDL (with
 *    `@key`) is also what schema/schema.graphql holds.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, createResolversMap } from 'type-graphql';
import { requireScopes, scopeAuthChecker } from '../auth/auth-checker';
import { Scope } from '../auth/scopes';
import type { GatewayContext } from '../context';
import type { CreditTransaction } from '../domain/credits';
import { ChargeCreditsResolver } from './resolvers/charge-credits.resolver';
import { CreditBalanceResolver } from './resolvers/credit-balance.resolver';
import { CreditTransactionResolver } from './resolvers/credit-transaction.resolver';
import { CreditsChargedResolver } from './resolvers/credits-charged.resolver';

/** Federation 2.5 is the first with `@authenticated` and `@requiresScopes` (what a router enforces). */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])';

export function buildApiSchema(): GraphQLSchema {
  return buildSchemaSync({
    resolvers: [CreditBalanceResolver, CreditTransactionResolver, ChargeCreditsResolver, CreditsChargedResolver],
    validate: false, // inputs are validated explicitly, with field-precise BAD_USER_INPUT errors
    // @RequiresScope fields: FORBIDDEN naming the scope (UNAUTHENTICATED without a token), before the resolver.
    authChecker: scopeAuthChecker,
    authMode: 'error',
  });
}

/** The client SDL (schema/api.graphql): what /graphql serves, without federation directives. */
export function printClientSdl(apiSchema: GraphQLSchema): string {
  return `${printSchema(apiSchema)}\n`;
}

/** The subgraph SDL: the API schema printed with its directives, under the federation link. */
export function printSubgraphSdl(apiSchema: GraphQLSchema): string {
  return `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(apiSchema)}\n`;
}

export function buildSubgraph(apiSchema: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(apiSchema) as GraphQLResolverMap<unknown>;
  return buildSubgraphSchema({
    typeDefs: parse(printSubgraphSdl(apiSchema)),
    resolvers: {
      ...resolvers,
      CreditTransaction: {
        ...(resolvers.CreditTransaction as object),
        // Tenancy comes from the request's credentials, never from the representation.
        // Entities are reads: the same scope as the queries (type-graphql does not see this resolver).
        __resolveReference: (reference: { id: string }, ctx: GatewayContext): Promise<CreditTransaction | null> => {
          requireScopes(ctx.caller, [Scope.READ]);
          return ctx.loaders.transactionById.load(reference.id);
        },
      },
    } as GraphQLResolverMap<unknown>,
  });
}
