/**
 * Document limits, checked before graphql-js validation so that a rejection costs no more than
 * serving a query: graphql-js's full rule set is set up per call, walks the document through
 * TypeInfo and a visitor per rule (~0.7 ms for 200 fields), and OverlappingFieldsCanBeMerged
 * compares duplicate fields pairwise (~2 ms more for 16 on each of 12 keys).
 *
 * 1. Before Apollo, for a JSON POST to /graphql whose text the fast path has not accepted
 *    (`check`, src/http/graphql-fast-path.ts answers the refusal as Apollo would, without its
 *    pipeline); otherwise at the document-store lookup. Apollo has no hook that answers between
 *    source and parse, so the gate wraps the store: a document not in it (every cached one was
 *    checked) is checked here. Its text first (source-scan.ts): over MAX_TOKENS, MAX_COMMENTS or MAX_FIELDS it is
 *    never parsed (parsing it and collecting the garbage cost more than a served request); text
 *    the scan finds suspect (unbalanced, or not understood) is parsed without locations first, as
 *    it will most likely fail, with the same error. Then its tree (depth, aliases, fields,
 *    duplicate fields, cost, one chargeCredits: linear walks); then, with schema hints off, its
 *    fields against the schema (unknown-fields.ts: one walk). A refused document is handed to
 *    Apollo as an empty stand-in it takes for a cached one, so Apollo neither parses nor
 *    validates it, and the error is thrown when the (absent) operation is resolved: a 400 with
 *    the parser's message, the first limit the document breaks, or its first unknown field. One
 *    error: each further one would cost more on Apollo's error path (~40–90 µs: wrapped, its
 *    stack captured and formatted, logged) than the rest of the rejection.
 * 2. After Apollo parses a document (one that passed, or whose text the store lookup did not
 *    have): the tree is checked again, and an over-limit document is swapped for an empty
 *    stand-in whose validation reports every limit it breaks.
 *
 * Either way the errors take Apollo's ordinary path (the error-logging plugin, formatError, the
 * request id), and a refused document never enters the document store. A document first seen
 * and within the limits is parsed twice (here and by Apollo), once per document while the store
 * keeps it. graphql-js validation is left to Apollo: run here instead (rules that cannot apply
 * dropped, the validated document handed to Apollo from the store), it still cost 0.7–3 ms for a
 * document within the limits, more than serving one, so the gate answers what linear walks find.
 *
 * 3. Verdicts, per schema by query hash (verdict-cache.ts, bounded in characters): every refusal
 *    of 1, and graphql-js's errors for a document within the limits that fails its validation
 *    (never stored, so once validated in full each time it was sent). A text sent again is
 *    answered from its verdict at the store lookup, not scanned, parsed or validated again: one
 *    error as a stand-in like a refusal's, several through the stand-in of 2 (Apollo parses,
 *    validation reports them), so the answer is the one first given. A caller who varies the
 *    text on every request pays for the checks each time; each is linear. `npm run
 *    bench:hostile` measures both (README, Limits). Texts that passed are remembered by hash too:
 *    checked once by the fast path, they are not checked again at the store lookup.
 */
import type { ApolloServerPlugin, BaseContext, DocumentStore, GraphQLRequestListener } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  Source,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { costErrors } from './cost-limits';
import { duplicateFieldsError } from './duplicate-fields';
import { requestError, requestErrorAt, sourceLimitError, withoutStack } from './limit-error';
import { depthError, selectionCountErrors } from './limits';
import { SourceScanner, SUSPECT } from './source-scan';
import { unknownFieldError } from './unknown-fields';
import { type CachedError, VerdictCache } from './verdict-cache';

/**
 * Validation errors reported for one document (graphql-js's `maxErrors`; its default is 100): past
 * it, graphql-js adds "Too many validation errors" and stops. Each error costs ~60–90 µs on
 * Apollo's error path, and ten tell a client plenty.
 */
export const MAX_VALIDATION_ERRORS = 10;

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  maxDuplicateFields: number;
  maxCost: number;
  /** Also given to graphql-js's parser (`parseOptions.maxTokens`). */
  maxTokens: number;
  /** Also given to graphql-js's parser (`parseOptions.maxComments`). */
  maxComments: number;
}

/** Every limit the document breaks (at most one error per limit), in a stable order. */
export function documentLimitErrors(document: DocumentNode, limits: DocumentLimits): GraphQLError[] {
  const depth = depthError(document, limits.maxDepth);
  const duplicates = duplicateFieldsError(document, limits.maxDuplicateFields);
  return [
    ...(depth ? [depth] : []),
    ...selectionCountErrors(document, limits),
    ...(duplicates ? [duplicates] : []),
    ...costErrors(document, limits.maxCost),
  ];
}

/** The first of those errors: the checks after the one that fails are not run. */
export function firstLimitError(document: DocumentNode, limits: DocumentLimits): GraphQLError | null {
  return (
    depthError(document, limits.maxDepth) ??
    selectionCountErrors(document, limits)[0] ??
    duplicateFieldsError(document, limits.maxDuplicateFields) ??
    costErrors(document, limits.maxCost)[0] ??
    null
  );
}

export interface DocumentLimitsGate<TContext extends BaseContext> {
  /** Records each request's text and checks each parsed document; list it with the server's plugins. */
  plugin: ApolloServerPlugin<TContext>;
  /** Reports what the plugin found after parsing; list it in the server's `validationRules`. */
  validationRule: ValidationRule;
  /**
   * The server's document store, wrapped: a document not in it is checked before Apollo parses
   * it, and one already found invalid against `schema` is answered from its verdict.
   */
  documentStore(store: DocumentStore, schema: GraphQLSchema): DocumentStore;
  /** The server's `parseOptions` (the gate parses with the same). */
  parseOptions: ParseOptions;
  /**
   * For a text not yet accepted, checked before Apollo sees the request (the /graphql fast path):
   * the error that refuses it, from its verdict or checked now (and kept), or null: Apollo is to
   * answer it (it passed, and is remembered as passed; or its verdict has several errors, which
   * Apollo's validation reports). `schema`'s store must be wrapped.
   */
  check(source: string, queryHash: string, schema: GraphQLSchema): GraphQLError | null;
}

/** The errors an empty stand-in document stands for, found after Apollo parsed the document. */
const LIMIT_ERRORS = Symbol('limitErrors');
/** The error a stand-in handed out by the document store stands for. */
const REQUEST_ERROR = Symbol('requestError');

interface StandIn extends DocumentNode {
  readonly [LIMIT_ERRORS]?: readonly GraphQLError[];
  readonly [REQUEST_ERROR]?: GraphQLError;
}

/** An empty stand-in the document store hands out for a refused document: `error` answers the request. */
const refused = (error: GraphQLError): StandIn => ({ kind: Kind.DOCUMENT, definitions: [], [REQUEST_ERROR]: error });

/** Texts waiting for their store lookup: a handful at most (the lookup follows at once). */
const MAX_PENDING = 256;
/** Hashes of texts that passed the checks, remembered (~150 bytes each). */
const MAX_PASSED = 4_096;
/** Apollo's query hash: sha256, hex; the store key ends with it. */
const QUERY_HASH_LENGTH = 64;

export function documentLimitsGate<TContext extends BaseContext>(
  limits: DocumentLimits,
  validation: { hideSuggestions?: boolean } = {},
): DocumentLimitsGate<TContext> {
  const scanner = new SourceScanner(limits.maxTokens, limits.maxFields, limits.maxComments);
  const parseOptions: ParseOptions = { maxTokens: limits.maxTokens, maxComments: limits.maxComments };
  const unlocatedParseOptions: ParseOptions = { ...parseOptions, noLocation: true };

  /**
   * Why a document Apollo has not cached would be refused, or null. The text first (no parse),
   * then the parsed tree; a syntax error is answered here too, so nothing is parsed twice. Then,
   * unless graphql-js must word it with a "Did you mean", the first unknown field.
   */
  const refusal = (source: string, schema: GraphQLSchema): GraphQLError | null => {
    const verdict = scanner.scan(source);
    if (verdict && verdict !== SUSPECT) return sourceLimitError(source, verdict, limits);
    let document: DocumentNode;
    try {
      // Text the scan found suspect is parsed without locations first: it will most likely fail,
      // with the same error (its position comes from the token, not from a node's location).
      document = withoutStack(() => parse(source, verdict === SUSPECT ? unlocatedParseOptions : parseOptions));
      if (verdict === SUSPECT) document = parse(source, parseOptions); // it parsed: the errors below need locations
    } catch (error) {
      return error instanceof GraphQLError ? requestError(error, 'GRAPHQL_PARSE_FAILED') : null;
    }
    const first = firstLimitError(document, limits);
    if (first) return requestError(first, 'GRAPHQL_VALIDATION_FAILED');
    const unknown = validation.hideSuggestions ? unknownFieldError(schema, document) : null;
    return unknown ? requestError(unknown, 'GRAPHQL_VALIDATION_FAILED') : null;
  };

  /** Query hash → text, from the source hook until Apollo's document-store lookup takes it. */
  const sources = new Map<string, string>();
  /** Invalid documents' errors, per schema (/graphql and /subgraph differ). */
  const verdicts = new Map<GraphQLSchema, VerdictCache>();
  /** Query hash → a verdict of several errors, from the store lookup until Apollo has parsed the text. */
  const replays = new Map<string, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();
  const hooks: GraphQLRequestListener<TContext> = {
    async didResolveSource({ source, queryHash }) {
      if (sources.size >= MAX_PENDING) sources.clear(); // lookups that never came: only a bound
      sources.set(queryHash, source);
    },
    // A stand-in from the store: Apollo skipped parsing and validation and resolved no operation.
    async didResolveOperation({ document }) {
      const error = (document as StandIn)[REQUEST_ERROR];
      if (error) throw error;
    },
    // The net under the store: a document Apollo parses is checked again (the store lookup may not
    // have had its text), and an over-limit one is swapped for a stand-in that fails validation.
    async parsingDidStart(requestContext) {
      return async (parseError) => {
        const document = requestContext.document;
        if (parseError || !document) return;
        const replay = replays.get(requestContext.queryHash);
        if (replay) replays.delete(requestContext.queryHash);
        const errors = replay?.schema === requestContext.schema ? replay.errors : documentLimitErrors(document, limits);
        if (errors.length === 0) return;
        // The errors ride on the stand-in itself: in a WeakMap they (and through their nodes the
        // whole parsed document) outlived the request until the next full GC.
        const standIn: StandIn = { kind: Kind.DOCUMENT, definitions: [], [LIMIT_ERRORS]: errors };
        // Apollo validates (and would cache) whatever document the request context holds next.
        (requestContext as { document?: DocumentNode }).document = standIn;
      };
    },
    // Only a document not found in the store is validated: keep what graphql-js said about it.
    async validationDidStart({ schema, queryHash }) {
      return async (errors) => {
        if (errors?.length && errors.every((e) => e instanceof GraphQLError)) {
          verdicts.get(schema)?.set(queryHash, errors as readonly GraphQLError[]);
        }
      };
    },
  };
  /**
   * What a text Apollo has not cached gets: its one error (a refusal, or a verdict of one), a
   * verdict of several (rebuilt for Apollo's validation to report only when Apollo is to answer
   * it: the fast path's check leaves it to Apollo), or null (it passed).
   * Not cached: Apollo would parse and validate it next. Refused here, it is answered from an
   * empty stand-in that Apollo takes for a cached document: no parse, no validation; and the
   * refusal is kept, so the same text is not scanned or parsed again.
   */
  const answerFor = (
    source: string,
    hash: string,
    schema: GraphQLSchema,
  ): GraphQLError | readonly CachedError[] | null => {
    const verdictCache = verdicts.get(schema);
    const verdict = verdictCache?.get(hash);
    if (verdict?.length === 1 && verdict[0]) {
      const { message, positions, code } = verdict[0];
      return requestErrorAt(message, source, positions, code ?? 'GRAPHQL_VALIDATION_FAILED');
    }
    if (verdict) return verdict;
    if (passed.get(hash) === schema) return null;
    const error = refusal(source, schema);
    if (error) verdictCache?.set(hash, [error]);
    else passed.set(hash, schema);
    return error;
  };
  /**
   * Query hash → the schema a text passed the checks for: the same text passes them again, so
   * neither the fast path's check nor Apollo's store lookup (after the store evicted it) repeats
   * them. A verdict found later (graphql-js validation failed) still comes first.
   */
  const passed = new LRUCache<string, GraphQLSchema>({ max: MAX_PASSED });

  return {
    check(source, queryHash, schema) {
      const answer = answerFor(source, queryHash, schema);
      return answer instanceof GraphQLError ? answer : null;
    },
    plugin: {
      // One hooks object for every request: nothing made per request for a cached document.
      async requestDidStart() {
        return hooks;
      },
    },
    documentStore: (store, schema) => {
      verdicts.set(schema, new VerdictCache());
      return {
        async get(key) {
          const hash = key.slice(-QUERY_HASH_LENGTH);
          const source = sources.get(hash);
          if (source !== undefined) sources.delete(hash);
          const cached = await store.get(key);
          if (cached || source === undefined) return cached;
          const answer = answerFor(source, hash, schema);
          if (answer === null) return undefined;
          if (answer instanceof GraphQLError) return refused(answer);
          if (replays.size >= MAX_PENDING) replays.clear(); // parses that never came: only a bound
          replays.set(hash, { schema, errors: rebuilt(answer, source) });
          return undefined;
        },
        set: (key, value, options) => store.set(key, value, options),
        delete: (key) => store.delete(key),
      };
    },
    parseOptions,
    // Reported on entering the document, not when the rule is set up: there graphql-js's error
    // limit (MAX_VALIDATION_ERRORS, then "Too many validation errors") would throw out of validate().
    validationRule: (context) => ({
      Document(document) {
        const errors = (document as StandIn)[LIMIT_ERRORS];
        if (errors) for (const error of errors) context.reportError(error);
      },
    }),
  };
}

/**
 * A verdict's errors against this request's text (the same text: the same hash). Located through
 * stand-in nodes: Apollo's ValidationError takes an error's nodes, not its positions.
 */
function rebuilt(verdict: readonly CachedError[], text: string): GraphQLError[] {
  const source = new Source(text);
  const at = (start: number) =>
    ({ kind: Kind.NAME, value: '', loc: { start, end: start, source } }) as unknown as ASTNode;
  return withoutStack(() =>
    verdict.map(({ message, positions }) =>
      positions.length > 0 ? new GraphQLError(message, { nodes: positions.map(at) }) : new GraphQLError(message),
    ),
  );
}
