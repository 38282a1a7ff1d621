/**
 * Execution errors turned into a response's errors and HTTP status and headers, as Apollo Server
 * does after executing an operation (@apollo/server 5.5.1, `normalizeAndFormatErrors` in
 * errorNormalize.js and the execution step of requestPipeline.js, which are not exported): each
 * error gets a code (INTERNAL_SERVER_ERROR when it has none), its `extensions.http` (status,
 * headers) moves to the response head, a stack trace is added when configured, and then our
 * `formatError` runs; if that throws, the client sees "Internal server error".
 *
 * Only the fast path uses it, and only for operations that executed (a request whose variables
 * or operation name are refused is left to Apollo). test/integration/graphql-fast-path.test.ts
 * sends the same requests through both and compares status, headers and bodies.
 */
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type FormatError = (formatted: GraphQLFormattedError, raw: unknown) => GraphQLFormattedError;

export interface ResponseErrors {
  errors: GraphQLFormattedError[];
  /** From the errors' `extensions.http`; undefined: 200. */
  status: number | undefined;
  headers: Map<string, string>;
}

interface HttpHead {
  status?: number;
  headers?: Map<string, string>;
}

function isHttpHead(value: unknown): value is HttpHead {
  if (!value || typeof value !== 'object') return false;
  const head = value as Record<string, unknown>;
  return (
    (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map)
  );
}

export function responseErrors(
  errors: readonly GraphQLError[],
  options: { formatError: FormatError; includeStacktrace: boolean },
): ResponseErrors {
  const head: ResponseErrors = { errors: [], status: undefined, headers: new Map() };
  const enrich = (error: GraphQLError): GraphQLFormattedError => {
    const extensions: Record<string, unknown> = {
      ...error.extensions,
      code: error.extensions.code ?? ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
    };
    if (isHttpHead(extensions.http)) {
      const { status, headers } = extensions.http;
      if (status) head.status = status;
      if (headers) for (const [name, value] of headers) head.headers.set(name, value);
      delete extensions.http;
    }
    if (options.includeStacktrace) extensions.stacktrace = error.stack?.split('\n');
    return { ...error.toJSON(), extensions };
  };
  for (const error of errors) {
    try {
      head.errors.push(options.formatError(enrich(error), error));
    } catch (formattingError) {
      head.errors.push(
        options.includeStacktrace
          ? enrich(asGraphQLError(formattingError))
          : { message: 'Internal server error', extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR } },
      );
    }
  }
  return head;
}

function asGraphQLError(thrown: unknown): GraphQLError {
  if (thrown instanceof GraphQLError) return thrown;
  const error = thrown instanceof Error ? thrown : new GraphQLError(`Unexpected error value: ${String(thrown)}`);
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}
