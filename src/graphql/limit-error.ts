/**
 * The errors document limits report. They are the caller's mistake, so no stack trace is
 * captured: the stack would only name our walker, and capturing it and then formatting it (Apollo
 * reads `stack` when it wraps a validation error) was a large share of what a rejection cost.
 */
import { type ASTNode, GraphQLError, Source } from 'graphql';
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

/**
 * An error that answers the whole request (400, with the code Apollo gives parse and validation
 * errors), made from a parser or limit error: same message, same location.
 */
export function requestError(
  error: GraphQLError,
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED',
): GraphQLError {
  return withoutStack(
    () =>
      new GraphQLError(error.message, {
        ...(error.nodes ? { nodes: error.nodes } : { source: error.source, positions: error.positions }),
        extensions: { code, http: { status: 400 } },
      }),
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
  return withoutStack(
    () =>
      new GraphQLError(message, {
        source: new Source(body),
        positions: [verdict.position],
        extensions: { code: parser ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
      }),
  );
}
