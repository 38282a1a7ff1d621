/**
 * The Fastify side of caller authentication: a preHandler that verifies the bearer token before
 * any GraphQL work, answering 401 (with a `WWW-Authenticate: Bearer` challenge, code
 * UNAUTHENTICATED and the reason, never the token) when it is missing or invalid. Nothing goes
 * upstream then. The verified principal is kept for the request's context.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailure } from './auth-failure';
import type { Authenticator } from './authenticator';
import type { Caller } from './caller';
import type { Principal } from './principal';

const principals = new WeakMap<FastifyRequest, Principal>();

/** The caller of a request that passed (or skipped) the hook. */
export function callerOf(request: FastifyRequest, enforced: boolean, forwarded: boolean): Caller {
  return { enforced, principal: principals.get(request) ?? null, address: request.ip, forwarded };
}

/** A GET without `query` is the landing page, not an operation. */
function isOperation(request: FastifyRequest): boolean {
  return (
    request.method !== 'GET' ||
    (typeof request.query === 'object' && request.query !== null && 'query' in request.query)
  );
}

export interface AuthHookOptions {
  /** Without a token, let the request through unauthenticated (the router's /subgraph): fields then need one. */
  optional: boolean;
}

export function authHook(authenticator: Authenticator, options: AuthHookOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (reply.sent || !isOperation(request)) return;
    const header = request.headers.authorization;
    if (options.optional && !authenticator.present(header)) return;
    try {
      principals.set(request, await authenticator.authenticate(header));
    } catch (error) {
      const failure = error instanceof AuthFailure ? error : new AuthFailure('keys_unavailable');
      await reply
        .code(401)
        .header('www-authenticate', failure.challenge)
        .send({
          errors: [
            {
              message: failure.description,
              extensions: { code: 'UNAUTHENTICATED', reason: failure.reason, requestId: String(request.id) },
            },
          ],
        });
    }
  };
}
