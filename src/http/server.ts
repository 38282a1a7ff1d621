/**
 * The HTTP server: Fastify composed of route plugins over two Apollo Servers (one set of resolvers).
 *   /graphql   API schema for frontends and Apollo Sandbox      routes/graphql.route.ts
 *   /subgraph  Federation 2 subgraph schema for the router       routes/subgraph.route.ts
 *   /healthz, /readyz                                            routes/health.routes.ts
 *   /graphiql  offline explorer (development)                    explorer/graphiql.ts
 * Hooks every route shares (request id header, CORS, the after-response hook) are added at the
 * root before the routes, so each route plugin inherits them. /metrics is served on its own
 * listener (METRICS_PORT), not here: see metrics-listener.ts.
 */
import type { ApolloFastifyContextFunction } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { callerOf } from '../auth/auth-hook';
import type { Authenticator } from '../auth/authenticator';
import type { Config } from '../config';
import { createContext, type CredentialSource, type GatewayContext, type GatewayServices } from '../graphql/context';
import type { GatewayMetrics } from '../telemetry/metrics';
import { type ApolloConfig, startApolloServers } from './apollo-servers';
import { registerCors } from './cors';
import { graphiqlRoute } from './explorer/graphiql';
import { graphqlFastPath } from './graphql-fast-path';
import { addRequestIdHeader, requestLoggingOptions } from './http-logging';
import { addResponseHooks } from './response-hooks';
import { graphqlRoute } from './routes/graphql.route';
import { healthRoutes, type HealthRoutesOptions } from './routes/health.routes';
import { subgraphRoute } from './routes/subgraph.route';
import { DEFAULT_REQUEST_BODY_TIMEOUT_MS, slowRequestTimeouts } from './slow-request-timeouts';

export type ServerConfig = ApolloConfig &
  Pick<Config, 'corsOrigins' | 'requestDeadlineMs' | 'logLevel' | 'logRequests' | 'requestBodyTimeoutMs'>;

export interface ServerDependencies extends HealthRoutesOptions {
  config: ServerConfig;
  services: GatewayServices;
  credentialSource: CredentialSource;
  metrics: GatewayMetrics;
  /** Verifies bearer tokens (JWT mode); null: no caller authentication. */
  authenticator?: Authenticator | null;
  /** Where log lines go (stdout when absent): tests read them. */
  logStream?: DestinationStream;
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
  const forwarded = credentialSource.kind === 'forward';
  const { api, subgraph, apiFastPath } = await startApolloServers(config, {
    logger: app.log,
    metrics,
    forwardedCredentials: forwarded,
  });

  addRequestIdHeader(app);
  addResponseHooks(app, metrics, config.logRequests ?? false);
  await registerCors(app, config.corsOrigins);

  const authenticator = deps.authenticator ?? null;
  const context: ApolloFastifyContextFunction<GatewayContext> = async (request) => {
    const contextValue = createContext(services, credentialSource, {
      headers: request.headers,
      requestId: String(request.id),
      deadlineMs: config.requestDeadlineMs,
      caller: callerOf(request, authenticator !== null, forwarded),
    });
    request.gatewayDeadline = contextValue.deadline;
    return contextValue;
  };

  const fastPath = apiFastPath && graphqlFastPath({ ...apiFastPath, context });
  await app.register(graphqlRoute, { apollo: api, fastPath, context, authenticator });
  await app.register(subgraphRoute, {
    apollo: subgraph,
    context,
    authenticator,
    routerSecret: config.routerSecret,
  });
  // Development explorers: Apollo Sandbox on GET /graphql (an Apollo plugin), GraphiQL offline.
  if (config.landingPage) await app.register(graphiqlRoute, { endpoint: '/graphql' });
  await app.register(healthRoutes, { readiness: deps.readiness, redisReadiness: deps.redisReadiness });
  return app;
}
