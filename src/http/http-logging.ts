/**
 * Request ids and the HTTP logger's shape. Our own UUID is the id the logs trust: it is made for
 * every request, logged as `requestId` (the one field name, everywhere), put on every error and
 * returned in the `x-request-id` response header. A caller's own `x-request-id` is kept only as a
 * correlation field beside it (`clientRequestId`), sanitized and length-capped.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sanitizeForLog } from '../common/log-safe';

/** The log field holding our request id, in Fastify's lines and ours alike. */
export const REQUEST_ID_LOG_FIELD = 'requestId';

/** Longest caller-supplied request id kept for correlation. */
export const CLIENT_REQUEST_ID_MAX_LENGTH = 128;

/** The caller's `x-request-id`, as a correlation field only. */
export function clientRequestIdOf(req: Pick<IncomingMessage, 'headers'>): string | null {
  return sanitizeForLog(req.headers['x-request-id'], CLIENT_REQUEST_ID_MAX_LENGTH);
}

/** Fastify options: our UUID per request, logged as `requestId`, with the caller's id beside it. */
export function requestLoggingOptions(): Pick<
  FastifyServerOptions,
  'requestIdHeader' | 'genReqId' | 'logController' | 'childLoggerFactory'
> {
  return {
    // Fastify would take the header verbatim as the id: ours is always fresh.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // Fastify's own request logging writes two lines per request at info; server.ts writes one,
    // and only when LOG_REQUESTS asks for it (the default outside production).
    logController: new LogController({ requestIdLogLabel: REQUEST_ID_LOG_FIELD, disableRequestLogging: true }),
    childLoggerFactory(logger, bindings, options, rawReq) {
      const clientRequestId = clientRequestIdOf(rawReq);
      return logger.child(clientRequestId === null ? bindings : { ...bindings, clientRequestId }, options);
    },
  };
}

/** Every response carries our request id, so a caller can quote it. */
export function addRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
