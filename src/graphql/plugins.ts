/**
 * Apollo plugins of ours: every error is logged on the server (with the request id and any
 * upstream request id), every error a client sees carries the request id, and every such error
 * is counted by its client-facing code. Upstream errors are logged through their allow-list
 * (`UpstreamError.loggable()`): an upstream body's text and data may echo what was sent.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from '../telemetry/metrics';
import { UpstreamError } from '../domain/upstream-errors';
import { InvalidCursorError } from '../reader/pagination/invalid-cursor';
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
            { ...base, err: original instanceof UpstreamError ? original.loggable() : original },
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
