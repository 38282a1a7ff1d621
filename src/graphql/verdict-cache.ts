/**
 * Verdicts on invalid documents, by query hash: the document gate's refusals (a syntax error, a
 * limit, an unknown field) and graphql-js's validation errors. An invalid document is never put
 * in Apollo's document store, so it was checked again each time it was sent (graphql-js's
 * validation: a few times a served request for a document within every limit). A verdict keeps
 * only what the answer needs — each error's message and offsets in the text, and a refusal's
 * code; no AST nodes — and is bounded in entries and in characters: a verdict too large to keep
 * is simply checked again next time.
 */
import type { GraphQLError } from 'graphql';
import type { RequestErrorCode } from './limit-error';

/** One error of a verdict: enough to rebuild it against the same text. */
export interface CachedError {
  readonly message: string;
  /** Offsets into the document text (none for an error without a location). */
  readonly positions: readonly number[];
  /** The request error's code (a refusal's); graphql-js's own errors have none. */
  readonly code?: RequestErrorCode;
}

const REQUEST_CODES: ReadonlySet<unknown> = new Set<RequestErrorCode>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

export interface VerdictCacheLimits {
  /** Characters of messages kept in all (memory: ~2 bytes each plus small overhead). */
  maxChars: number;
  /** Characters of messages kept for one document; a larger verdict is not kept. */
  maxEntryChars: number;
}

export const DEFAULT_VERDICT_CACHE_LIMITS: VerdictCacheLimits = { maxChars: 1_000_000, maxEntryChars: 16_000 };

interface Entry {
  readonly errors: readonly CachedError[];
  readonly chars: number;
}

/** Least recently used verdicts leave first. */
export class VerdictCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(private readonly limits: VerdictCacheLimits = DEFAULT_VERDICT_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  /** Characters held (messages, plus a small charge per error and per entry). */
  get heldChars(): number {
    return this.chars;
  }

  get(hash: string): readonly CachedError[] | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    this.entries.delete(hash); // most recently used last
    this.entries.set(hash, entry);
    return entry.errors;
  }

  set(hash: string, errors: readonly GraphQLError[]): void {
    this.delete(hash);
    let chars = hash.length;
    for (const error of errors) chars += error.message.length + 8 * (1 + (error.positions?.length ?? 0));
    if (chars > this.limits.maxEntryChars) return;
    const kept = errors.map((error): CachedError => {
      const { code } = error.extensions;
      const positions = [...(error.positions ?? [])];
      return REQUEST_CODES.has(code)
        ? { message: error.message, positions, code: code as RequestErrorCode }
        : { message: error.message, positions };
    });
    this.entries.set(hash, { errors: kept, chars });
    this.chars += chars;
    for (const [oldest, entry] of this.entries) {
      if (this.chars <= this.limits.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= entry.chars;
    }
  }

  private delete(hash: string): void {
    const entry = this.entries.get(hash);
    if (!entry) return;
    this.entries.delete(hash);
    this.chars -= entry.chars;
  }
}
