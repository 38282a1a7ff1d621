/**
 * Documents Apollo has accepted: parsed, within every document limit, validated against the API
 * schema (introspection rules included), and resolved to an operation that began to execute.
 * Keyed by the query text, so the HTTP fast path (src/http/graphql-fast-path.ts) can execute a
 * request for the same text without Apollo's per-request pipeline. Whether a document is valid
 * does not depend on variables, headers or the caller, so the verdict holds for every request
 * with the same text; what does depend on them (argument limits, scopes, credentials) is checked
 * again on every request.
 *
 * Bounded by the bytes the documents keep alive (the same estimate as Apollo's document store),
 * and only texts up to MAX_PREPARED_TEXT_LENGTH are kept: a frontend's operations are few and
 * small, a caller sending new documents never reaches here, and a large document gains little
 * from skipping Apollo.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { type DocumentNode, getOperationAST, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { retainedDocumentBytes } from './document-cache';

/** Bytes of prepared documents kept (see README, Limits). */
export const PREPARED_OPERATIONS_BYTES = 4 * 1024 * 1024;
/** Longer texts are left to Apollo every time. */
export const MAX_PREPARED_TEXT_LENGTH = 8 * 1024;
const MAX_OPERATION_NAMES = 8;

export class PreparedDocument {
  /** operationName ('' for none) → the operation it selects, or null when it selects none. */
  private readonly operations = new Map<string, OperationDefinitionNode | null>();

  constructor(readonly document: DocumentNode) {}

  /** The operation a request selects, as Apollo resolves it (graphql-js's getOperationAST). */
  operation(operationName: string | undefined): OperationDefinitionNode | null {
    const key = operationName ?? '';
    const known = this.operations.get(key);
    if (known !== undefined) return known;
    const operation = getOperationAST(this.document, operationName) ?? null;
    // Any name may be sent: only the first few are remembered.
    if (this.operations.size < MAX_OPERATION_NAMES) this.operations.set(key, operation);
    return operation;
  }
}

export class PreparedOperations {
  private readonly documents: LRUCache<string, PreparedDocument>;

  constructor(budgetBytes = PREPARED_OPERATIONS_BYTES) {
    this.documents = new LRUCache<string, PreparedDocument>({
      maxSize: budgetBytes,
      sizeCalculation: (prepared, text) => retainedDocumentBytes(prepared.document, text),
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
        if (!prepared || prepared.document !== document) this.documents.set(source, new PreparedDocument(document));
      },
    };
    return {
      async requestDidStart() {
        return hooks;
      },
    };
  }
}
