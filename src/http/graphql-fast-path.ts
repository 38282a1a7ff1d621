/**
 * POST /graphql for a document Apollo has already accepted (prepared-operations.ts): the request
 * is executed with graphql-js directly, without Apollo's per-request pipeline (its header map, the
 * query's sha256, the document-store lookup, ten rounds of plugin hooks, content negotiation):
 * about a third of the CPU a cached balance query cost. What Apollo would do for such a request is
 * done here the same way, in the same order:
 *
 *   - CSRF prevention passes: only `content-type: application/json` bodies are taken;
 *   - the context comes from the same function; argument limits are checked before anything runs;
 *   - the operation span is named; execution is graphql-js's `execute`, as Apollo's, or for a
 *     query answered often its graphql-jit compilation (prepared-execution.ts);
 *   - errors are logged, formatted, counted and stamped with the request id as Apollo's plugins
 *     do (response-errors.ts, plugins.ts), with the status their `extensions.http` asks for.
 *
 * A text not yet accepted is checked by the document limits gate first, and a refusal answered
 * here as Apollo answers it (see `refuse`); one that passes goes to Apollo. So does everything
 * else: GET, batches, persisted queries, an Accept header Apollo would refuse, argument limits or
 * variables it would refuse (nothing has run then). With APOLLO_KEY set Apollo adds usage reporting, which needs its pipeline: the fast
 * path is off then. test/integration/graphql-fast-path.test.ts sends the same requests both ways
 * and compares the answers byte for byte.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { checkArgumentLimits } from '../graphql/argument-limits';
import type { GatewayContext } from '../graphql/context';
import type { ErrorReporting } from '../graphql/plugins';
import { executePrepared } from '../graphql/prepared-execution';
import type { PreparedOperations } from '../graphql/prepared-operations';
import { type FormatError, responseErrors } from '../graphql/response-errors';
import { nameOperationSpan } from '../telemetry/operation-span';
import { responseContentType } from './response-content-type';

export interface FastPathOptions {
  schema: GraphQLSchema;
  prepared: PreparedOperations;
  context: (request: FastifyRequest, reply: FastifyReply) => Promise<GatewayContext>;
  formatError: FormatError;
  includeStacktrace: boolean;
  reporting: ErrorReporting;
  /** The document limits gate's check of a text not yet accepted (DocumentLimitsGate.check). */
  check: (query: string) => GraphQLError | null;
}

interface FastRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON POST body of one operation by text, as Apollo reads it; null: Apollo's to answer. */
function fastRequest(request: FastifyRequest): FastRequest | null {
  if (request.method !== 'POST') return null;
  const contentType = request.headers['content-type'];
  if (contentType !== 'application/json' && !contentType?.toLowerCase().startsWith('application/json;')) return null;
  const body = request.body;
  if (!isRecord(body) || typeof body.query !== 'string' || body.query === '') return null;
  if (body.extensions !== undefined) return null; // persisted queries and other extensions
  const { variables, operationName } = body;
  if (variables != null && !isRecord(variables)) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  return {
    query: body.query,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
  };
}

/** The handler's answer: the response body, or null when Apollo is to answer the request. */
export type FastPath = (request: FastifyRequest, reply: FastifyReply) => Promise<string | null>;

export function graphqlFastPath(options: FastPathOptions): FastPath {
  const { schema, prepared, reporting } = options;

  /** Errors Apollo would answer: logged, formatted, counted and stamped as its plugins do. */
  const errorBody = (
    reply: FastifyReply,
    raised: readonly GraphQLError[],
    contextValue: GatewayContext,
    operationName: string | null,
  ) => {
    reporting.encountered(raised, contextValue, operationName);
    const { errors, status, headers } = responseErrors(raised, options);
    for (const [name, value] of headers) reply.header(name, value);
    return { errors: reporting.sending(errors, contextValue), status };
  };

  /**
   * A text not yet accepted, refused by the document limits gate (a limit, a syntax error, an
   * unknown field, or its kept verdict) is answered here as Apollo would answer the gate's
   * refusal (its sendErrorResponse: no operation, status from the error, else 500), without
   * Apollo's pipeline, which was more than half of what such a refusal cost. A text that passes
   * is Apollo's, and the gate does not check it again at Apollo's store lookup.
   */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, fast: FastRequest, contentType: string) => {
    const refusal = options.check(fast.query);
    if (!refusal) return null;
    const contextValue = await options.context(request, reply);
    nameOperationSpan(undefined, null);
    const { errors, status } = errorBody(reply, [refusal], contextValue, null);
    reply.header('content-type', contentType);
    reply.code(status ?? 500);
    return `${JSON.stringify({ errors })}\n`;
  };

  return async (request, reply) => {
    const fast = fastRequest(request);
    if (!fast) return null;
    const contentType = responseContentType(request.headers.accept);
    if (!contentType) return null;
    const document = prepared.get(fast.query);
    if (!document) return refuse(request, reply, fast, contentType);
    const operation = document.operation(fast.operationName);
    if (!operation) return null;
    if (checkArgumentLimits(schema, document.document, operation, fast.variables)) return null;

    const contextValue = await options.context(request, reply);
    const operationName = operation.name?.value ?? null;
    nameOperationSpan(operation, operationName);
    const result = await executePrepared(schema, document, operation, { ...fast, contextValue });
    // No data: the variables were refused before anything ran. Apollo words that answer (400).
    if (result.data === undefined) return null;

    reply.header('content-type', contentType);
    if (!result.errors) return `${JSON.stringify({ data: result.data })}\n`;
    const { errors, status } = errorBody(reply, result.errors, contextValue, operationName);
    if (status) reply.code(status);
    return `${JSON.stringify({ errors, data: result.data })}\n`;
  };
}
