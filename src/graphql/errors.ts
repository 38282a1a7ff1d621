/**
 * What clients see of failures: a stable `extensions.code` and a clear message, never an
 * upstream body, URL, key or stack trace. Anything not recognised is masked as
 * INTERNAL_SERVER_ERROR; the request id (added by the error-logging plugin) ties it to the log.
 */
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CoordinationUnavailableError } from '../charges/coordination';
import { UpstreamError } from '../domain/upstream-errors';
import { InvalidCursorError } from '../reader/pagination/invalid-cursor';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Over CHARGE_RATE_LIMIT: `extensions.retryAfterSeconds` says when to retry. */
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes we raise on purpose, plus Apollo's own request-level codes: these pass through. */
const CLIENT_CODES = new Set<string>([...Object.values(ErrorCode), ...Object.values(ApolloServerErrorCode)]);

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export interface ErrorMappingOptions {
  /** Callers' own credentials travel upstream: a 401/403 is theirs, not our configuration's. */
  forwardedCredentials: boolean;
}

/** Maps an upstream failure to the client-facing error, or null when it must be masked. */
export function clientErrorForUpstream(
  error: UpstreamError,
  options: ErrorMappingOptions,
): { code: ErrorCode; message: string; retryable?: boolean } | null {
  switch (error.failure) {
    case 'timeout':
      return {
        code: ErrorCode.UPSTREAM_TIMEOUT,
        message: 'The credits service did not answer in time.',
        retryable: true,
      };
    case 'unavailable':
    case 'rateLimited':
      return { code: ErrorCode.UPSTREAM_UNAVAILABLE, message: 'The credits service is unavailable.', retryable: true };
    case 'circuitOpen':
      return {
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
        message: 'The credits service is failing; try again shortly.',
        retryable: true,
      };
    case 'credentialsRejected':
      // Callers' own credentials rejected are theirs to fix; server-held ones are our fault.
      return options.forwardedCredentials
        ? { code: ErrorCode.UNAUTHENTICATED, message: 'The Wix credentials of this request were rejected.' }
        : null;
    case 'forbidden':
      return options.forwardedCredentials
        ? { code: ErrorCode.FORBIDDEN, message: 'The Wix credentials of this request may not access this account.' }
        : null;
    case 'rejected':
      // An upstream refusal we should have prevented: our fault.
      return null;
  }
}

/** Longest error message a client gets: a message quoting a huge input value is cut here. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

const SCHEMA_HINT = / ?Did you mean [^?]*\?/g;

/** A client-facing message: schema hints ("Did you mean …?") removed unless allowed, length capped. */
export function clientMessage(message: string, schemaHints: boolean): string {
  return capText(schemaHints ? message : message.replace(SCHEMA_HINT, ''));
}

/** Text cut to `max` characters (an ellipsis marks the cut). */
export function capText(text: string, max = MAX_ERROR_MESSAGE_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The HTTP status Apollo attached to a request-level error, when it is a client error (4xx). */
export function clientHttpStatus(error: unknown): number | null {
  if (!(error instanceof GraphQLError)) return null;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export interface FormatErrorOptions extends ErrorMappingOptions {
  includeStacktrace: boolean;
  /** "Did you mean …" suggestions in messages (they reveal the schema): off in production. */
  schemaHints?: boolean;
}

/** Apollo `formatError`: pass our own codes through, translate upstream failures, mask the rest. */
export function createFormatError(options: FormatErrorOptions) {
  const format = createUnboundedFormatError(options);
  const schemaHints = options.schemaHints ?? true;
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const result = format(formatted, raw);
    return { ...result, message: clientMessage(result.message, schemaHints) };
  };
}

function createUnboundedFormatError(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(raw);
    const code = formatted.extensions?.code;
    if (clientHttpStatus(original) !== null && (original as GraphQLError).extensions.code === undefined) {
      // Apollo's own request errors without a code (e.g. an APQ hash that does not match the query).
      return { message: formatted.message, extensions: { code: ApolloServerErrorCode.BAD_REQUEST } };
    }
    if (original instanceof InvalidCursorError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: original.field },
      };
    }
    if (original instanceof CoordinationUnavailableError) {
      return {
        message: 'Charges are briefly unavailable; retry with the same idempotencyKey.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, retryable: true },
      };
    }
    if (original instanceof UpstreamError) {
      const mapped = clientErrorForUpstream(original, options);
      if (mapped) {
        return {
          message: mapped.message,
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: mapped.code, ...(mapped.retryable ? { retryable: true } : {}) },
        };
      }
    } else if (typeof code === 'string' && CLIENT_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: options.includeStacktrace ? { ...extensions, stacktrace } : extensions };
    }
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
