/**
 * The errors document limits report. They are the caller's mistake, so no stack trace is
 * captured: the stack would only name our walker, and capturing it and then formatting it (Apollo
 * reads `stack` when it wraps a validation error) was a large share of what a rejection cost.
 */
import { type ASTNode, GraphQLError, type SourceLocation } from 'graphql';
import type { SourceVerdict } from './source-scan';

export const fieldLimitMessage = (maxFields: number) => `The document selects more than ${maxFields} fields.`;

/** What `make` returns, with no stack trace captured for any error it creates. */
export function withoutStack<T>(make: () => T): T {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export function limitError(message: string, node: ASTNode): GraphQLError {
  return withoutStack(() => new GraphQLError(message, { nodes: [node] }));
}

export type RequestErrorCode = 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED';

/** Line and column of an offset, counted as graphql-js's getLocation counts them (\r\n, \n or \r ends a line). */
export function locationOf(body: string, position: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  if (body.lastIndexOf('\r', position) === -1) {
    // Only \n ends lines before it (the usual case): found by the engine's own search.
    for (let i = body.indexOf('\n'); i !== -1 && i < position; i = body.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: position + 1 - lineStart };
  }
  for (let i = 0; i < position; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x0d && body.charCodeAt(i + 1) === 0x0a) i++;
    if (c === 0x0a || c === 0x0d) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position + 1 - lineStart };
}

/**
 * An error that answers the whole request (400, with the code Apollo gives parse and validation
 * errors) at offsets already located: it keeps no text and no nodes, and graphql-js does not
 * locate it again (its getLocation runs a regular expression over the text up to each offset,
 * a match per line: 500 comment lines cost more than the rest of the error).
 */
function locatedRequestError(
  message: string,
  positions: readonly number[] | undefined,
  locations: readonly SourceLocation[] | undefined,
  code: RequestErrorCode,
): GraphQLError {
  const error = withoutStack(
    () =>
      new GraphQLError(message, { ...(positions ? { positions } : {}), extensions: { code, http: { status: 400 } } }),
  );
  (error as { locations?: readonly SourceLocation[] }).locations = locations;
  return error;
}

/**
 * An error that answers the whole request, made from a parser or limit error the gate has just
 * created (so no one else holds it): the same error, given the request's code and status rather
 * than copied (each GraphQLError made costs ~10 µs).
 */
export function requestError(error: GraphQLError, code: RequestErrorCode): GraphQLError {
  (error as { extensions: GraphQLError['extensions'] }).extensions = { code, http: { status: 400 } };
  return error;
}

/** A request error at offsets in `body` (the text whose verdict it repeats). */
export function requestErrorAt(
  message: string,
  body: string,
  positions: readonly number[],
  code: RequestErrorCode,
): GraphQLError {
  const located = positions.length > 0 ? positions : undefined;
  return locatedRequestError(
    message,
    located,
    located?.map((position) => locationOf(body, position)),
    code,
  );
}

/** The error for text over MAX_TOKENS, MAX_COMMENTS or MAX_FIELDS, worded as the parser or the field check words it. */
export function sourceLimitError(
  body: string,
  verdict: SourceVerdict,
  limits: { maxTokens: number; maxFields: number; maxComments: number },
): GraphQLError {
  const parser = verdict.limit !== 'fields';
  // graphql-js's own words for its limits, its typo included ("more that").
  const message =
    verdict.limit === 'tokens'
      ? `Syntax Error: Document contains more that ${limits.maxTokens} tokens. Parsing aborted.`
      : verdict.limit === 'comments'
        ? `Syntax Error: Document contains more than ${limits.maxComments} comments. Parsing aborted.`
        : fieldLimitMessage(limits.maxFields);
  return requestErrorAt(
    message,
    body,
    [verdict.position],
    parser ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED',
  );
}
