/**
 * CORS for browser clients, through @fastify/cors. Preflights (OPTIONS with Origin and
 * Access-Control-Request-Method) are answered on every path, never with a 404:
 *   allowed origin  → 204 with the allowed methods and headers
 *   refused origin  → 403 (and no Access-Control-Allow-Origin, so the browser blocks the call)
 *   malformed       → 400 (an OPTIONS without Origin or Access-Control-Request-Method)
 * CSRF prevention stays Apollo's: a simple request (no preflight) is still refused by /graphql.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { isOriginAllowed, type CorsOrigins } from './cors-origins';

/** Request headers a browser client may send: Apollo's CSRF headers, auth, tracing, request ids. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'wix-account-id',
  'wix-site-id',
  'x-request-id',
  'traceparent',
  'tracestate',
] as const;

/** Response headers a browser client may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'www-authenticate'] as const;

/** How long a browser may cache a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

export async function registerCors(app: FastifyInstance, origins: CorsOrigins): Promise<void> {
  // Runs before @fastify/cors (registered below), which would pass a refused or malformed preflight
  // on to routing: a 404 that hides the reason.
  // Callback style: every request passes here, and an async hook costs a promise and a hop each.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'OPTIONS') return done();
    const origin = request.headers.origin;
    if (!origin || !request.headers['access-control-request-method']) {
      reply
        .code(400)
        .type('text/plain')
        .send('Invalid preflight request: Origin and Access-Control-Request-Method are required.');
      return;
    }
    if (!isOriginAllowed(origins, origin)) {
      reply.code(403).type('text/plain').send('This origin is not allowed to call the gateway (see CORS_ORIGINS).');
      return;
    }
    done();
  });
  await app.register(cors, {
    origin: origins === 'any' ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE_S,
    strictPreflight: true,
  });
}
