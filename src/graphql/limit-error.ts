/**
 * The error a document limit reports. It is the caller's mistake, so no stack trace is captured:
 * the stack would only name our walker, and capturing it and then formatting it (Apollo reads
 * `stack` when it wraps a validation error) was a large share of what a rejection cost.
 */
import { type ASTNode, GraphQLError } from 'graphql';

export function limitError(message: string, node: ASTNode): GraphQLError {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, { nodes: [node] });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
