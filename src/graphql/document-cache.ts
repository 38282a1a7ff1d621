/**
 * Apollo's parsed-document store and APQ cache, bounded by the bytes they actually keep alive.
 *
 * Apollo's default store sizes a document by its JSON form, but a parsed document also keeps its
 * source text and graphql-js's token list (every node's `loc`) alive: a 30 KB document measured
 * ~50× its source on the heap. Here an entry is charged for its source text (two bytes a
 * character: V8 may hold it as UTF-16) plus a per-token allowance that covers the token, the AST
 * node and its location (measured ~360 bytes a token; charged 512). The APQ cache holds query
 * strings, charged the same way. One store and one APQ cache serve both Apollo servers (/graphql
 * and /subgraph): Apollo prefixes document keys with the schema's hash, so they never mix, and
 * the worst case is the sum of the two budgets, not twice it.
 */
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode, Token } from 'graphql';

/** Bytes of parsed documents kept (see README, Limits). */
export const DOCUMENT_STORE_BYTES = 24 * 1024 * 1024;
/** Bytes of persisted-query (APQ) text kept. */
export const APQ_CACHE_BYTES = 8 * 1024 * 1024;

const BYTES_PER_CHARACTER = 2;
const BYTES_PER_TOKEN = 512;
/** Key, map entry and LRU bookkeeping of one entry. */
const ENTRY_OVERHEAD = 256;

/** An upper estimate of the heap a parsed document keeps alive. */
export function retainedDocumentBytes(document: DocumentNode, key = ''): number {
  const location = document.loc;
  if (!location) return ENTRY_OVERHEAD + key.length * BYTES_PER_CHARACTER + JSON.stringify(document).length * 4;
  let tokens = 0;
  for (let token: Token | null = location.startToken; token; token = token.next) tokens++;
  return ENTRY_OVERHEAD + (key.length + location.source.body.length) * BYTES_PER_CHARACTER + tokens * BYTES_PER_TOKEN;
}

function retainedStringBytes(value: string, key: string): number {
  return ENTRY_OVERHEAD + (key.length + value.length) * BYTES_PER_CHARACTER;
}

export interface DocumentCaches {
  documentStore: InMemoryLRUCache<DocumentNode>;
  apqCache: InMemoryLRUCache<string>;
}

export function createDocumentCaches(
  budgets: { documentBytes: number; apqBytes: number } = {
    documentBytes: DOCUMENT_STORE_BYTES,
    apqBytes: APQ_CACHE_BYTES,
  },
): DocumentCaches {
  return {
    documentStore: new InMemoryLRUCache<DocumentNode>({
      maxSize: budgets.documentBytes,
      sizeCalculation: (document, key) => retainedDocumentBytes(document, key),
    }),
    apqCache: new InMemoryLRUCache<string>({
      maxSize: budgets.apqBytes,
      sizeCalculation: (query, key) => retainedStringBytes(query, key),
    }),
  };
}
