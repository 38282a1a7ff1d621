/**
 * Apollo plugins of ours: every error is logged on the server (with the request id and any Wix
 * request id), every error a client sees carries the request id, and every such error is
 * counted by its client-facing code. Upstream errors are logged through an allow-list: Wix's
 * description, data and field violations may echo what was sent and stay out of the logs.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from '../telemetry/metrics';
import { InvalidCursorError } from '../reader/pagination/invalid-cursor';
import { WixError, WixHttpError, WixResponseDecodeError } from '../wix/wix-errors';
import { capText, clientHttpStatus } from './errors';

function capped(text: string | null | undefined): string | undefined {
  return text == null ? undefined : capText(text);
}

/** Errors expected in normal use: logged at a lower level. */
const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** What of an upstream failure may be logged: never its body's description, data or violations. */
export function loggableWixError(error: WixError): Record<string, unknown> {
  return {
    name: error.name,
    message: error.message,
    kind: error.kind,
    operation: error.operation,
    ...(error instanceof WixHttpError ? { status: error.status, code: error.code, wixRequestId: error.requestId } : {}),
    ...(error instanceof WixResponseDecodeError ? { wixRequestId: error.requestId } : {}),
  };
}

export function errorLoggingPlugin(
  logger: Pick<FastifyBaseLogger, 'info' | 'error'>,
  metrics?: Pick<GatewayMetrics, 'graphqlErrors'>,
): ApolloServerPlugin<GatewayContext> {
  // One hooks object for every request: nothing made per request when there is no error.
  const hooks: GraphQLRequestListener<GatewayContext> = {
    async didEncounterErrors({ errors, contextValue, operationName }) {
      for (const error of errors) {
        const original = unwrapResolverError(error);
        // A cursor the reader refused is the client's input, though not raised as a GraphQLError.
        const code = original instanceof InvalidCursorError ? 'BAD_USER_INPUT' : error.extensions?.code;
        const base = {
          requestId: contextValue?.requestId,
          operationName: capped(operationName),
          path: error.path,
          code,
        };
        if (
          (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) ||
          (code === undefined && clientHttpStatus(original) !== null)
        ) {
          // The caller's mistake: a short line, no stack, no echo of a huge input.
          logger.info({ ...base, message: capped(error.message) }, 'graphql client error');
        } else {
          logger.error(
            { ...base, err: original instanceof WixError ? loggableWixError(original) : original },
            'graphql error',
          );
        }
      }
    },
    async willSendResponse({ response, contextValue }) {
      if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
      for (const e of response.body.singleResult.errors) {
        const code = e.extensions?.code;
        metrics?.graphqlErrors.labels(typeof code === 'string' ? code : 'UNKNOWN').inc();
      }
      if (!contextValue) return;
      response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
        ...e,
        extensions: { ...e.extensions, requestId: contextValue.requestId },
      }));
    },
  };
  return {
    async requestDidStart() {
      return hooks;
    },
  };
}
