/**
 * The errors document limits report. They are the caller's mistake, so no stack trace is
 * captured: the stack would only name our walker, and capturing it and then formatting it (Apollo
 * reads `stack` when it wraps a validation error) was a large share of what a rejection cost.
 */
import { type ASTNode, GraphQLError } from 'graphql';

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
