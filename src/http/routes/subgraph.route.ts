/**
 * POST and GET /subgraph: the Federation 2 subgraph schema (`_entities`, `_service`) for the
 * router, which proves itself with ROUTER_SECRET when one is set. A token the router propagates
 * is verified too; fields needing a scope need one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { type ApolloFastifyContextFunction, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authHook } from '../../auth/auth-hook';
import type { Authenticator } from '../../auth/authenticator';
import type { GatewayContext } from '../../graphql/context';
import { tracedHandler } from '../../telemetry/http-span';

export interface SubgraphRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  context: ApolloFastifyContextFunction<GatewayContext>;
  /** Verifies bearer tokens (JWT mode); null: no caller authentication. */
  authenticator: Authenticator | null;
  /** ROUTER_SECRET: the `router-authorization` header every request must carry; null: none asked. */
  routerSecret: string | null;
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  const value = Array.isArray(given) ? given[0] : given;
  if (!value) return false;
  const a = Buffer.from(value);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const subgraphRoute: FastifyPluginAsync<SubgraphRouteOptions> = async (
  app,
  { apollo, context, authenticator, routerSecret },
) => {
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
      ...(authenticator ? [authHook(authenticator, { optional: true })] : []),
    ],
    handler: tracedHandler('/subgraph', fastifyApolloHandler(apollo, { context })),
  });
  // Runs after Fastify has stopped accepting and in-flight requests have finished.
  app.addHook('onClose', () => apollo.stop());
};
