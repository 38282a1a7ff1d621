/**
 * POST and GET /graphql: the API schema for frontends and Apollo Sandbox (CSRF prevention and
 * the document limits are Apollo's, CORS the server's). With caller authentication every
 * operation needs a valid token. A POST of a document Apollo has already accepted is answered
 * by the fast path (graphql-fast-path.ts), everything else by Apollo.
 */
import type { ApolloServer } from '@apollo/server';
import { type ApolloFastifyContextFunction, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { authHook } from '../../auth/auth-hook';
import type { Authenticator } from '../../auth/authenticator';
import type { GatewayContext } from '../../graphql/context';
import { tracedHandler } from '../../telemetry/http-span';
import type { FastPath } from '../graphql-fast-path';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  /** Answers POSTs of documents `apollo` has accepted without its pipeline; null: off. */
  fastPath: FastPath | null;
  context: ApolloFastifyContextFunction<GatewayContext>;
  /** Verifies bearer tokens (JWT mode); null: no caller authentication. */
  authenticator: Authenticator | null;
}

export const graphqlRoute: FastifyPluginAsync<GraphqlRouteOptions> = async (
  app,
  { apollo, fastPath, context, authenticator },
) => {
  const apolloHandler = fastifyApolloHandler(apollo, { context });
  const handler: typeof apolloHandler = fastPath
    ? async function graphql(request, reply) {
        return (await fastPath(request, reply)) ?? apolloHandler.call(this, request, reply);
      }
    : apolloHandler;
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    ...(authenticator ? { preHandler: authHook(authenticator, { optional: false }) } : {}),
    handler: tracedHandler('/graphql', handler),
  });
  // Runs after Fastify has stopped accepting and in-flight requests have finished.
  app.addHook('onClose', () => apollo.stop());
};
