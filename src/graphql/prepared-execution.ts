/**
 * Executes an operation Apollo has accepted (prepared-operations.ts), for the HTTP fast path.
 *
 * A query answered often is compiled with graphql-jit: it resolves the selection, the literal
 * arguments and each field's completion once, into a function, where graphql-js's `execute`
 * interprets the document on every request (collecting fields, computing arguments from the AST,
 * dispatching on each type): the 20 aliased lookups of the bench went from ~370 to ~215 µs of CPU
 * a request. Compiling is dear and blocks the event loop: ~0.2 ms for a balance query, 2 ms for
 * those 20 lookups (80 fields), 10–25 ms for 18 lookups of every field (180), 40–50 ms for 28
 * aliased introspections (196); and a compiled query keeps 30–66 bytes of code and closures a
 * character of text alive. So only an operation the fast path has already run
 * COMPILE_AFTER_EXECUTIONS times is compiled (a caller sending new documents pays for each
 * compilation with 64 requests, a hot frontend query within a second), and only documents of at
 * most MAX_COMPILED_FIELDS fields written and MAX_COMPILED_TEXT_LENGTH characters (worst case
 * ~10 ms once). Mutations always run on graphql-js (serial execution of charges stays on the
 * reference implementation).
 *
 * graphql-jit reports errors with its own error type (no `nodes`, and `extensions` absent rather
 * than empty); they are turned back into graphql-js GraphQLErrors with the same message, locations,
 * path, original error and extensions, so formatting and logging see what graphql-js would give.
 */
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SourceLocation,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { forEachWrittenField } from './limits';
import type { PreparedDocument } from './prepared-operations';

/** Executions on graphql-js before an operation is compiled. */
export const COMPILE_AFTER_EXECUTIONS = 64;
/** Longer texts always run on graphql-js. */
export const MAX_COMPILED_TEXT_LENGTH = 2 * 1024;
/** Documents with more fields written always run on graphql-js. */
export const MAX_COMPILED_FIELDS = 100;

function writtenFields(document: DocumentNode): number {
  let fields = 0;
  forEachWrittenField(document, () => fields++);
  return fields;
}

/** What one prepared operation has learnt: how often it ran, and its compiled form once made. */
export interface OperationExecution {
  executions: number;
  /** undefined: not compiled yet; null: not to be compiled (graphql-jit refused it). */
  compiled: CompiledQuery | null | undefined;
}

interface JitError {
  message: string;
  locations?: readonly SourceLocation[];
  path?: ReadonlyArray<string | number>;
  originalError?: Error;
  extensions?: Record<string, unknown>;
}

/** A graphql-jit error as graphql-js would have raised it. */
function asGraphQLJsError(error: JitError): GraphQLError {
  // graphql-jit's error type inherits from graphql-js's: only an exact one is left as it is.
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error as GraphQLError;
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
  // graphql-js derives locations from AST nodes, which graphql-jit does not keep; it computed them.
  if (error.locations) {
    Object.defineProperty(converted, 'locations', { value: error.locations, enumerable: true, writable: true });
  }
  return converted;
}

function compiledQuery(
  schema: GraphQLSchema,
  prepared: PreparedDocument,
  operation: OperationDefinitionNode,
  operationName: string | undefined,
): CompiledQuery | null {
  if (operation.operation !== 'query' || prepared.textLength > MAX_COMPILED_TEXT_LENGTH) return null;
  const state = prepared.execution(operation);
  if (state.compiled !== undefined) return state.compiled;
  if (++state.executions <= COMPILE_AFTER_EXECUTIONS) return null;
  if (writtenFields(prepared.document) > MAX_COMPILED_FIELDS) {
    state.compiled = null;
    return null;
  }
  state.compiled = null; // refused or thrown: the operation stays on graphql-js
  try {
    const compiled = compileQuery(schema, prepared.document, operationName);
    if (isCompiledQuery(compiled)) state.compiled = compiled;
  } catch {
    // A schema or document feature graphql-jit cannot compile: graphql-js serves it as before.
  }
  return state.compiled;
}

export async function executePrepared(
  schema: GraphQLSchema,
  prepared: PreparedDocument,
  operation: OperationDefinitionNode,
  request: { operationName: string | undefined; variables: Record<string, unknown> | undefined; contextValue: unknown },
): Promise<ExecutionResult> {
  const compiled = compiledQuery(schema, prepared, operation, request.operationName);
  if (!compiled) {
    return execute({
      schema,
      document: prepared.document,
      contextValue: request.contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
  }
  const result = await compiled.query(undefined, request.contextValue, request.variables);
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((error) => asGraphQLJsError(error as JitError)) };
}
