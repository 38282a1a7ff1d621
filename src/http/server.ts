/**
 * The HTTP server: Fastify with two Apollo Servers over one set of resolvers.
 *   /graphql   API schema for frontends and Apollo Sandbox (CSRF prevention, CORS, limits)
 *   /subgraph  Federation 2 subgraph schema for the router (guarded by ROUTER_SECRET when set)
 *   /healthz   the process is up;  /readyz  the upstream answers (probed at most once per
 *              READINESS_TTL_MS, concurrent probes sharing one call);  /metrics  Prometheus
 */
import { timingSafeEqual } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { DestinationStream } from 'pino';
import type { RequestDeadline } from '../common/abortable';
import { authHook, callerOf } from '../auth/auth-hook';
import type { Authenticator } from '../auth/authenticator';
import type { Config } from '../config';
import { registerCors } from './cors';
import { createContext, type CredentialSource, type GatewayContext, type GatewayServices } from '../graphql/context';
import { registerGraphiql } from './explorer/graphiql';
import { sandboxLandingPage } from './explorer/sandbox-landing-page';
import { createFormatError } from '../graphql/errors';
import { argumentLimitsPlugin } from '../graphql/argument-limits';
import { createDocumentCaches } from '../graphql/document-cache';
import { maxCostRule } from '../graphql/cost-limits';
import { maxAliasesRule, maxDepthRule } from '../graphql/limits';
import { errorLoggingPlugin } from '../graphql/plugins';
import { tracedHandler } from '../telemetry/http-span';
import { operationSpanPlugin } from '../telemetry/operation-span';
import { buildApiSchema, buildSubgraph } from '../graphql/schema';
import { addRequestIdHeader, requestLoggingOptions } from './http-logging';
import { DEFAULT_REQUEST_BODY_TIMEOUT_MS, slowRequestTimeouts } from './slow-request-timeouts';
import type { GatewayMetrics } from '../telemetry/metrics';

export type ServerConfig = Pick<
  Config,
  | 'introspection'
  | 'schemaHints'
  | 'landingPage'
  | 'includeStacktrace'
  | 'corsOrigins'
  | 'limits'
  | 'routerSecret'
  | 'requestDeadlineMs'
  | 'logLevel'
  | 'logRequests'
  | 'requestBodyTimeoutMs'
>;

export interface ServerDependencies {
  config: ServerConfig;
  services: GatewayServices;
  credentialSource: CredentialSource;
  metrics: GatewayMetrics;
  /** Verifies bearer tokens (JWT mode); null: no caller authentication. */
  authenticator?: Authenticator | null;
  /** Is the upstream reachable? Backs /readyz. */
  readiness: () => Promise<boolean>;
  /** Does Redis answer? Only with REDIS_URL; then /readyz reports it too. */
  redisReadiness?: () => Promise<boolean>;
  /** Where log lines go (stdout when absent): tests read them. */
  logStream?: DestinationStream;
}

/** How long a readiness answer is reused: probes then cost at most one upstream call per window. */
export const READINESS_TTL_MS = 5_000;

/** Readiness answered from a short cache, with at most one probe in flight (shared by concurrent callers). */
export function cachedReadiness(
  probe: () => Promise<boolean>,
  ttlMs = READINESS_TTL_MS,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let last: { ready: boolean; at: number } | null = null;
  let inFlight: Promise<boolean> | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.ready);
    inFlight ??= Promise.resolve()
      .then(probe)
      .catch(() => false)
      .then((ready) => {
        last = { ready, at: now() };
        inFlight = null;
        return ready;
      });
    return inFlight;
  };
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  const value = Array.isArray(given) ? given[0] : given;
  if (!value) return false;
  const a = Buffer.from(value);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The GraphQL request's deadline, disposed when the response has been sent. */
    gatewayDeadline: RequestDeadline | null;
  }
}

/** Histogram children pre-bound per (route, status): no label hashing per request. */
function boundDurationObserver(metrics: GatewayMetrics): (route: string, status: number, seconds: number) => void {
  const children = new Map<string, { observe(value: number): void }>();
  return (route, status, seconds) => {
    const key = `${status} ${route}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = metrics.httpDuration.labels(route, String(status))));
    child.observe(seconds);
  };
}

export async function createServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const { config, services, credentialSource, metrics } = deps;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers["router-authorization"]'], remove: true },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: config.limits.maxBodyBytes,
    ...slowRequestTimeouts(config.requestBodyTimeoutMs ?? DEFAULT_REQUEST_BODY_TIMEOUT_MS),
    ...requestLoggingOptions(),
  });
  addRequestIdHeader(app);
  app.decorateRequest('gatewayDeadline', null);

  const apiSchema = buildApiSchema();
  const subgraphSchema = buildSubgraph(apiSchema);
  const schemaHints = config.schemaHints ?? config.introspection;
  const formatError = createFormatError({
    forwardedCredentials: credentialSource.kind === 'forward',
    includeStacktrace: config.includeStacktrace,
    schemaHints,
  });
  const validationRules = [
    maxDepthRule(config.limits.maxDepth),
    maxAliasesRule(config.limits.maxAliases),
    maxCostRule(config.limits.maxCost),
  ];

  // Bounded by retained bytes, shared by both servers: see document-cache.ts.
  const { documentStore, apqCache } = createDocumentCaches();
  const apollo = (schema: GraphQLSchema, extraPlugins: ApolloServerPlugin<GatewayContext>[]) =>
    new ApolloServer<GatewayContext>({
      schema,
      logger: app.log,
      introspection: config.introspection,
      includeStacktraceInErrorResponses: config.includeStacktrace,
      hideSchemaDetailsFromClientErrors: !schemaHints,
      csrfPrevention: true,
      stopOnTerminationSignals: false, // main.ts owns shutdown order: HTTP first, then upstream clients
      formatError,
      validationRules,
      parseOptions: { maxTokens: config.limits.maxTokens },
      documentStore,
      persistedQueries: { cache: apqCache },
      // No cache hints are used: the cache-control plugin would only wrap every field resolver.
      plugins: [
        errorLoggingPlugin(app.log, metrics),
        argumentLimitsPlugin<GatewayContext>(),
        ApolloServerPluginCacheControlDisabled(),
        operationSpanPlugin<GatewayContext>(),
        ...extraPlugins,
      ],
    });

  const api = apollo(apiSchema, [
    config.landingPage ? sandboxLandingPage<GatewayContext>() : ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
  ]);
  // Inline traces (ftv1) reveal resolver timings and errors: only to the router, which proves
  // itself with ROUTER_SECRET (every /subgraph request carries it then); none without a secret.
  const subgraph = apollo(subgraphSchema, [
    ApolloServerPluginLandingPageDisabled(),
    ...(config.routerSecret ? [] : [ApolloServerPluginInlineTraceDisabled()]),
  ]);
  await Promise.all([api.start(), subgraph.start()]);

  await registerCors(app, config.corsOrigins);
  if (config.landingPage) await registerGraphiql(app); // development explorers: Sandbox on /graphql, GraphiQL offline

  const observeDuration = boundDurationObserver(metrics);
  const logRequests = config.logRequests ?? false;
  app.addHook('onResponse', (request, reply, done) => {
    request.gatewayDeadline?.dispose();
    const seconds = reply.elapsedTime / 1000;
    observeDuration(request.routeOptions.url ?? 'unknown', reply.statusCode, seconds);
    if (logRequests) {
      request.log.info(
        { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    }
    done();
  });

  const authenticator = deps.authenticator ?? null;
  const context = async (request: FastifyRequest): Promise<GatewayContext> => {
    const contextValue = createContext(services, credentialSource, {
      headers: request.headers,
      requestId: String(request.id),
      deadlineMs: config.requestDeadlineMs,
      caller: callerOf(request, authenticator !== null, credentialSource.kind === 'forward'),
    });
    request.gatewayDeadline = contextValue.deadline;
    return contextValue;
  };

  const apiHandler = fastifyApolloHandler(api, { context });
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    ...(authenticator ? { preHandler: authHook(authenticator, { optional: false }) } : {}),
    handler: tracedHandler('/graphql', apiHandler),
  });

  const subgraphHandler = fastifyApolloHandler(subgraph, { context });
  const routerSecret = config.routerSecret;
  app.route({
    method: ['GET', 'POST'],
    url: '/subgraph',
    preHandler: [
      async (request: FastifyRequest, reply: FastifyReply) => {
        if (routerSecret && !secretMatches(request.headers['router-authorization'], routerSecret)) {
          await reply.code(401).send({
            errors: [{ message: 'This endpoint serves the router only.', extensions: { code: 'UNAUTHENTICATED' } }],
          });
        }
      },
      // A token the router propagates is verified here too; fields needing a scope need one.
      ...(authenticator ? [authHook(authenticator, { optional: true })] : []),
    ],
    handler: tracedHandler('/subgraph', subgraphHandler),
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  const upstreamReady = cachedReadiness(deps.readiness);
  const redisReady = deps.redisReadiness ? cachedReadiness(deps.redisReadiness) : null;
  app.get('/readyz', async (_request, reply) => {
    const [upstream, redis] = await Promise.all([upstreamReady(), redisReady ? redisReady() : null]);
    const ready = upstream && redis !== false;
    const checks = {
      upstream: upstream ? 'ok' : 'unavailable',
      ...(redis === null ? {} : { redis: redis ? 'ok' : 'unavailable' }),
    };
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  // /metrics is served on its own listener (METRICS_PORT), not here: see src/http/metrics-listener.ts.

  // Fastify stops accepting and lets in-flight requests finish first; then the Apollo servers stop.
  app.addHook('onClose', async () => {
    await Promise.all([api.stop(), subgraph.stop()]);
  });
  return app;
}
