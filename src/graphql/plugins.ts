/**
 * Apollo plugins of ours: every error is logged in full (with the request id and any Wix
 * request id) on the server, and every error a client sees carries the request id.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayContext } from '../context';
import { WixError, WixHttpError } from '../wix/wix-errors';

/** Errors expected in normal use: logged at a lower level. */
const CLIENT_ERROR_CODES = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND']);

export function errorLoggingPlugin(logger: FastifyBaseLogger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const code = error.extensions?.code;
            const upstream =
              original instanceof WixError
                ? {
                    operation: original.operation,
                    kind: original.kind,
                    ...(original instanceof WixHttpError ? { status: original.status, code: original.code, wixRequestId: original.requestId } : {}),
                  }
                : undefined;
            const entry = { requestId: contextValue?.requestId, operationName, path: error.path, code, upstream, err: original };
            if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) logger.info(entry, 'graphql client error');
            else logger.error(entry, 'graphql error');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors || !contextValue) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            extensions: { ...e.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}
