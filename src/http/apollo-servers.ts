/**
 * The two Apollo Servers over one set of resolvers: the API schema (served on /graphql to
 * frontends and Apollo Sandbox) and the Federation 2 subgraph schema (/subgraph, for the
 * router). Both share the document limits, error formatting, plugins and the parsed-document
 * caches; they differ in landing page and inline traces.
 */
import { createHash } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import { argumentLimitsPlugin } from '../graphql/argument-limits';
import type { GatewayContext } from '../graphql/context';
import { createDocumentCaches } from '../graphql/document-cache';
import { createFormatError } from '../graphql/errors';
import { documentLimitsGate, MAX_VALIDATION_ERRORS } from '../graphql/document-limits';
import { errorLoggingPlugin, errorReporting } from '../graphql/plugins';
import { PreparedOperations } from '../graphql/prepared-operations';
import { buildApiSchema, buildSubgraph } from '../graphql/schema';
import { operationSpanPlugin } from '../telemetry/operation-span';
import type { GatewayMetrics } from '../telemetry/metrics';
import { sandboxLandingPage } from './explorer/sandbox-landing-page';
import type { FastPathOptions } from './graphql-fast-path';

export type ApolloConfig = Pick<
  Config,
  'introspection' | 'schemaHints' | 'landingPage' | 'includeStacktrace' | 'limits' | 'routerSecret'
>;

export interface ApolloServers {
  api: ApolloServer<GatewayContext>;
  subgraph: ApolloServer<GatewayContext>;
  /** What the /graphql fast path needs to answer as `api` would; null: the fast path is off. */
  apiFastPath: Omit<FastPathOptions, 'context'> | null;
}

export interface ApolloServersOptions {
  logger: FastifyBaseLogger;
  metrics: GatewayMetrics;
  /** Callers' own Wix credentials travel upstream (WIX_AUTH=forward): their 401/403 are the caller's. */
  forwardedCredentials: boolean;
}

/** Both servers, started. */
export async function startApolloServers(config: ApolloConfig, options: ApolloServersOptions): Promise<ApolloServers> {
  const apiSchema = buildApiSchema();
  const subgraphSchema = buildSubgraph(apiSchema);
  const schemaHints = config.schemaHints ?? config.introspection;
  const formatError = createFormatError({
    forwardedCredentials: options.forwardedCredentials,
    includeStacktrace: config.includeStacktrace,
    schemaHints,
  });
  // Without hints graphql-js need not compute "Did you mean" (formatError would strip it).
  // Each validation error costs ~60–90 µs on Apollo's error path (wrapped, stack copied,
  // formatted, logged): graphql-js's default of 100 made an invalid document of unknown
  // fields cost ~11× a served request.
  const validationOptions = { hideSuggestions: !schemaHints, maxErrors: MAX_VALIDATION_ERRORS };
  // Depth, aliases, fields and cost are checked right after parsing, before graphql-js validation;
  // without hints, an unknown field too.
  const limitsGate = documentLimitsGate<GatewayContext>(config.limits, validationOptions);

  // Bounded by retained bytes, shared by both servers: see document-cache.ts.
  const { documentStore, apqCache } = createDocumentCaches();
  // Apollo adds usage reporting when APOLLO_KEY is set: that needs Apollo's whole pipeline.
  const prepared = process.env.APOLLO_KEY ? null : new PreparedOperations();
  const apollo = (schema: GraphQLSchema, extraPlugins: ApolloServerPlugin<GatewayContext>[]) =>
    new ApolloServer<GatewayContext>({
      schema,
      logger: options.logger,
      introspection: config.introspection,
      includeStacktraceInErrorResponses: config.includeStacktrace,
      hideSchemaDetailsFromClientErrors: !schemaHints,
      csrfPrevention: true,
      stopOnTerminationSignals: false, // main.ts owns shutdown order: HTTP first, then upstream clients
      formatError,
      validationRules: [limitsGate.validationRule],
      validationOptions,
      parseOptions: limitsGate.parseOptions,
      documentStore: limitsGate.documentStore(documentStore, schema),
      persistedQueries: { cache: apqCache },
      // No cache hints are used: the cache-control plugin would only wrap every field resolver.
      plugins: [
        errorLoggingPlugin(options.logger, options.metrics),
        limitsGate.plugin,
        argumentLimitsPlugin<GatewayContext>(),
        ApolloServerPluginCacheControlDisabled(),
        operationSpanPlugin<GatewayContext>(),
        ...extraPlugins,
      ],
    });

  const api = apollo(apiSchema, [
    config.landingPage ? sandboxLandingPage<GatewayContext>() : ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
    ...(prepared ? [prepared.plugin<GatewayContext>()] : []),
  ]);
  // Inline traces (ftv1) reveal resolver timings and errors: only to the router, which proves
  // itself with ROUTER_SECRET (every /subgraph request carries it then); none without a secret.
  const subgraph = apollo(subgraphSchema, [
    ApolloServerPluginLandingPageDisabled(),
    ...(config.routerSecret ? [] : [ApolloServerPluginInlineTraceDisabled()]),
  ]);
  await Promise.all([api.start(), subgraph.start()]);
  const apiFastPath = prepared && {
    schema: apiSchema,
    prepared,
    formatError,
    includeStacktrace: config.includeStacktrace,
    reporting: errorReporting(options.logger, options.metrics),
    // The store key Apollo looks up ends with this hash (its computeQueryHash: sha256, hex).
    check: (query: string) => limitsGate.check(query, createHash('sha256').update(query).digest('hex'), apiSchema),
  };
  return { api, subgraph, apiFastPath };
}
