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
import type { GatewayContext } from '../context';
import type { CreditTransaction } from '../domain/credits';
import { ChargeCreditsResolver } from './resolvers/charge-credits.resolver';
import { CreditBalanceResolver } from './resolvers/credit-balance.resolver';
import { CreditTransactionResolver } from './resolvers/credit-transaction.resolver';
import { CreditsChargedResolver } from './resolvers/credits-charged.resolver';

/** Federation 2.0 suffices for `@key`: the lowest version keeps older routers composing it. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])';

export function buildApiSchema(): GraphQLSchema {
  return buildSchemaSync({
    resolvers: [CreditBalanceResolver, CreditTransactionResolver, ChargeCreditsResolver, CreditsChargedResolver],
    validate: false, // inputs are validated explicitly, with field-precise BAD_USER_INPUT errors
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
        __resolveReference: (reference: { id: string }, ctx: GatewayContext): Promise<CreditTransaction | null> =>
          ctx.loaders.transactionById.load(reference.id),
      },
    } as GraphQLResolverMap<unknown>,
  });
}
