/**
 * Apollo plugins of ours: every error is logged on the server (with the request id and any
 * upstream request id), every error a client sees carries the request id, and every such error
 * is counted by its client-facing code. Upstream errors are logged through their allow-list
 * (`UpstreamError.loggable()`): an upstream body's text and data may echo what was sent.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
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

/**
 * What happens to a request's errors besides formatting: each is logged (a client's mistake at
 * info, briefly), and each one a client sees is counted by its code and carries the request id.
 * Apollo calls it through the plugin below; the fast path (src/http/graphql-fast-path.ts) calls it
 * itself.
 */
export interface ErrorReporting {
  /** Apollo's didEncounterErrors: the errors as raised, before formatting. */
  encountered(
    errors: readonly GraphQLError[],
    contextValue: GatewayContext | undefined,
    operationName: string | null,
  ): void;
  /** Apollo's willSendResponse: the formatted errors a client is about to see. */
  sending(
    errors: readonly GraphQLFormattedError[],
    contextValue: GatewayContext | undefined,
  ): readonly GraphQLFormattedError[];
}

export function errorReporting(
  logger: Pick<FastifyBaseLogger, 'info' | 'error'>,
  metrics?: Pick<GatewayMetrics, 'graphqlErrors'>,
): ErrorReporting {
  return {
    encountered(errors, contextValue, operationName) {
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
    sending(errors, contextValue) {
      for (const e of errors) {
        const code = e.extensions?.code;
        metrics?.graphqlErrors.labels(typeof code === 'string' ? code : 'UNKNOWN').inc();
      }
      if (!contextValue) return errors;
      return errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }));
    },
  };
}

export function errorLoggingPlugin(
  logger: Pick<FastifyBaseLogger, 'info' | 'error'>,
  metrics?: Pick<GatewayMetrics, 'graphqlErrors'>,
): ApolloServerPlugin<GatewayContext> {
  const reporting = errorReporting(logger, metrics);
  // One hooks object for every request: nothing made per request when there is no error.
  const hooks: GraphQLRequestListener<GatewayContext> = {
    async didEncounterErrors({ errors, contextValue, operationName }) {
      reporting.encountered(errors, contextValue, operationName ?? null);
    },
    async willSendResponse({ response, contextValue }) {
      if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
      response.body.singleResult.errors = reporting.sending(response.body.singleResult.errors, contextValue);
    },
  };
  return {
    async requestDidStart() {
      return hooks;
    },
  };
}
