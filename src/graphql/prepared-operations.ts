/**
 * Documents Apollo has accepted: parsed, within every document limit, validated against the API
 * schema (introspection rules included), and resolved to an operation that began to execute.
 * Keyed by the query text, so the HTTP fast path (src/http/graphql-fast-path.ts) can execute a
 * request for the same text without Apollo's per-request pipeline. Whether a document is valid
 * does not depend on variables, headers or the caller, so the verdict holds for every request
 * with the same text; what does depend on them (argument limits, scopes, credentials) is checked
 * again on every request.
 *
 * Bounded by the bytes the documents and their compiled queries keep alive (for documents, the
 * estimate of Apollo's document store), and only texts up to MAX_PREPARED_TEXT_LENGTH are kept: a
 * frontend's operations are few and small, a caller sending new documents only cycles the least
 * recently used out, and a large document gains little from skipping Apollo.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { type DocumentNode, getOperationAST, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { retainedDocumentBytes } from './document-cache';
import { MAX_COMPILED_TEXT_LENGTH, type OperationExecution } from './prepared-execution';

/** Bytes of prepared documents kept (see README, Limits). */
export const PREPARED_OPERATIONS_BYTES = 16 * 1024 * 1024;
/** Longer texts are left to Apollo every time. */
export const MAX_PREPARED_TEXT_LENGTH = 8 * 1024;
const MAX_OPERATION_NAMES = 8;
const COMPILED_BYTES_PER_CHARACTER = 128;

export class PreparedDocument {
  /** operationName (null: none sent) → the operation it selects, or null when it selects none. */
  private readonly operations = new Map<string | null, OperationDefinitionNode | null>();
  private readonly executions = new Map<OperationDefinitionNode, OperationExecution>();

  constructor(
    readonly document: DocumentNode,
    readonly textLength: number,
  ) {}

  /** The operation a request selects, as Apollo resolves it (graphql-js's getOperationAST). */
  operation(operationName: string | undefined): OperationDefinitionNode | null {
    const key = operationName ?? null;
    const known = this.operations.get(key);
    if (known !== undefined) return known;
    const operation = getOperationAST(this.document, operationName) ?? null;
    // Any name may be sent: only the first few are remembered.
    if (this.operations.size < MAX_OPERATION_NAMES) this.operations.set(key, operation);
    return operation;
  }

  /** How one of its operations has been executed (prepared-execution.ts keeps it). */
  execution(operation: OperationDefinitionNode): OperationExecution {
    let state = this.executions.get(operation);
    if (!state) this.executions.set(operation, (state = { executions: 0, compiled: undefined }));
    return state;
  }
}

/**
 * An upper estimate of the heap a prepared document keeps alive: the parsed document, and the
 * code and closures of its compiled queries (measured 30–66 bytes a character of text; charged
 * 128) when its text is short enough to be compiled, whether or not it is yet.
 */
function preparedBytes(prepared: PreparedDocument, text: string): number {
  const compiled =
    prepared.textLength <= MAX_COMPILED_TEXT_LENGTH ? prepared.textLength * COMPILED_BYTES_PER_CHARACTER : 0;
  return retainedDocumentBytes(prepared.document, text) + compiled;
}

export class PreparedOperations {
  private readonly documents: LRUCache<string, PreparedDocument>;

  constructor(budgetBytes = PREPARED_OPERATIONS_BYTES) {
    this.documents = new LRUCache<string, PreparedDocument>({
      maxSize: budgetBytes,
      sizeCalculation: preparedBytes,
    });
  }

  get(text: string): PreparedDocument | undefined {
    return this.documents.get(text);
  }

  get size(): number {
    return this.documents.size;
  }

  /** Remembers each document that Apollo accepted and began to execute. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    const hooks: GraphQLRequestListener<TContext> = {
      // Reached only after parsing, the limits, validation and every didResolveOperation hook
      // (argument limits, the limits gate's refusals) passed.
      executionDidStart: async ({ source, document, operation }) => {
        if (!operation || source.length > MAX_PREPARED_TEXT_LENGTH) return;
        const prepared = this.documents.get(source);
        if (!prepared || prepared.document !== document)
          this.documents.set(source, new PreparedDocument(document, source.length));
      },
    };
    return {
      async requestDidStart() {
        return hooks;
      },
    };
  }
}
