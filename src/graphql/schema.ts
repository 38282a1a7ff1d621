/**
 * Builds both schemas from the one set of type-graphql resolvers:
 *  - the API schema, served at /graphql to frontends (no federation internals);
 *  - the Federation 2 subgraph schema, served at /subgraph to the router, whose SDL (with
 *    `@key`) is also what schema/schema.graphql holds.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badUserInput } from './errors';
import { buildSchemaSync, createResolversMap, getMetadataStorage } from 'type-graphql';
import { requireScopes, scopeAuthChecker } from '../auth/auth-checker';
import { installDirectResolvers } from './direct-resolvers';
import { Scope } from '../auth/scopes';
import type { GatewayContext } from './context';
import type { CreditTransaction } from '../domain/credits';
import { parseGuid } from '../domain/guid';
import { ChargeCreditsResolver } from './resolvers/charge-credits.resolver';
import { CreditBalanceResolver } from './resolvers/credit-balance.resolver';
import { CreditTransactionResolver } from './resolvers/credit-transaction.resolver';
import { CreditsChargedResolver } from './resolvers/credits-charged.resolver';

/** Federation 2.5 is the first with `@authenticated` and `@requiresScopes` (what a router enforces). */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])';

/**
 * Object types are declared with `simpleResolvers: true`: type-graphql would otherwise wrap every
 * plain field in a resolver that builds a resolver-data object and runs the middleware chain
 * (60 such calls for 20 looked-up transactions) where graphql-js's default property read does the
 * same work. A simple field skips the auth checker too, so scopes belong on resolver methods
 * (queries, mutations, field resolvers) only: a plain field with `@Authorized` stops start-up.
 * Simple query and mutation fields then get direct resolvers (see direct-resolvers.ts).
 */
export function buildApiSchema(): GraphQLSchema {
  const resolvers = [
    CreditBalanceResolver,
    CreditTransactionResolver,
    ChargeCreditsResolver,
    CreditsChargedResolver,
  ] as const;
  const schema = buildSchemaSync({
    resolvers,
    validate: false, // inputs are validated explicitly, with field-precise BAD_USER_INPUT errors
    // @RequiresScope fields: FORBIDDEN naming the scope (UNAUTHENTICATED without a token), before the resolver.
    authChecker: scopeAuthChecker,
    authMode: 'error',
  });
  const scopedPlainFields = getMetadataStorage().fields.filter((field) => field.roles !== undefined);
  if (scopedPlainFields.length > 0) {
    const names = scopedPlainFields.map((field) => `${field.target.name}.${field.name}`).join(', ');
    throw new Error(`@Authorized on plain object-type fields would not be enforced (simpleResolvers): ${names}`);
  }
  installDirectResolvers(schema, resolvers);
  return schema;
}

/** The client SDL (schema/api.graphql): what /graphql serves, without federation directives. */
export function printClientSdl(apiSchema: GraphQLSchema): string {
  return `${printSchema(apiSchema)}\n`;
}

/** The subgraph SDL: the API schema printed with its directives, under the federation link. */
export function printSubgraphSdl(apiSchema: GraphQLSchema): string {
  return `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(apiSchema)}\n`;
}

/** Longest entity id accepted in a representation (transaction ids are GUIDs). */
const MAX_ENTITY_ID_LENGTH = 128;
const ENTITY_TYPES = new Set(['CreditTransaction']);

/**
 * Representations come from the caller: each must name one of our entity types and carry a
 * string id, or the whole `_entities` call is BAD_USER_INPUT naming the representation.
 */
export function checkRepresentations(representations: unknown): void {
  if (!Array.isArray(representations)) throw badUserInput('representations', 'representations must be a list');
  representations.forEach((rep: unknown, i) => {
    const field = `representations[${i}]`;
    if (typeof rep !== 'object' || rep === null || Array.isArray(rep))
      throw badUserInput(field, `${field} must be an object`);
    const { __typename: typename, id } = rep as Record<string, unknown>;
    if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
      throw badUserInput(
        `${field}.__typename`,
        `${field}.__typename must name an entity of this subgraph: ${[...ENTITY_TYPES].join(', ')}`,
      );
    }
    if (typeof id !== 'string' || id === '' || id.length > MAX_ENTITY_ID_LENGTH) {
      throw badUserInput(`${field}.id`, `${field}.id must be a string of 1 to ${MAX_ENTITY_ID_LENGTH} characters`);
    }
  });
}

/** Wraps `Query._entities` so malformed representations never reach a reference resolver. */
function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field?.resolve) throw new Error('subgraph schema has no _entities resolver');
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    checkRepresentations(args.representations);
    return resolve(source, args, context, info);
  };
  return schema;
}

export function buildSubgraph(apiSchema: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(apiSchema) as GraphQLResolverMap<unknown>;
  return guardEntities(
    buildSubgraphSchema({
      typeDefs: parse(printSubgraphSdl(apiSchema)),
      resolvers: {
        ...resolvers,
        CreditTransaction: {
          ...(resolvers.CreditTransaction as object),
          // Tenancy comes from the request's credentials, never from the representation.
          // Entities are reads: the same scope as the queries (type-graphql does not see this resolver).
          // A representation whose id is not a GUID answers null, not BAD_USER_INPUT as
          // `creditTransaction(id:)` does: by the federation convention an entity the subgraph
          // cannot resolve is null, and one bad representation must not fail its siblings.
          __resolveReference: (
            reference: { id: string },
            ctx: GatewayContext,
          ): CreditTransaction | null | Promise<CreditTransaction | null> => {
            requireScopes(ctx.caller, [Scope.READ]);
            return ctx.reader.transaction(parseGuid(reference.id));
          },
        },
      } as GraphQLResolverMap<unknown>,
    }),
  );
}
