/**
 * POST and GET /graphql: the API schema for frontends and Apollo Sandbox (CSRF prevention and
 * the document limits are Apollo's, CORS the server's). With caller authentication every
 * operation needs a valid token.
 */
import type { ApolloServer } from '@apollo/server';
import { type ApolloFastifyContextFunction, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { authHook } from '../../auth/auth-hook';
import type { Authenticator } from '../../auth/authenticator';
import type { GatewayContext } from '../../graphql/context';
import { tracedHandler } from '../../telemetry/http-span';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  context: ApolloFastifyContextFunction<GatewayContext>;
  /** Verifies bearer tokens (JWT mode); null: no caller authentication. */
  authenticator: Authenticator | null;
}

export const graphqlRoute: FastifyPluginAsync<GraphqlRouteOptions> = async (
  app,
  { apollo, context, authenticator },
) => {
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    ...(authenticator ? { preHandler: authHook(authenticator, { optional: false }) } : {}),
    handler: tracedHandler('/graphql', fastifyApolloHandler(apollo, { context })),
  });
  // Runs after Fastify has stopped accepting and in-flight requests have finished.
  app.addHook('onClose', () => apollo.stop());
};
