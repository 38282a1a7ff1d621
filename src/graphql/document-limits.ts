/**
 * Document limits, checked before graphql-js validation so that a rejection costs no more than
 * serving a cached query: graphql-js's full rule set is set up per call (more than a served
 * request costs) and OverlappingFieldsCanBeMerged is quadratic in the fields.
 *
 * 1. Before parsing, the text (source-scan.ts): over MAX_TOKENS or MAX_FIELDS, the document is
 *    never parsed (parsing 2,000 tokens and collecting the garbage cost more than a served
 *    request). Apollo has no hook that answers between source and parse, so the verdict is an
 *    empty stand-in that Apollo's document-store lookup, next in its pipeline, returns as if
 *    cached; Apollo then skips parsing and validation, and the error is thrown when the (absent)
 *    operation is resolved: a 400 with the parser's or the field check's own message.
 * 2. After parsing, the tree: depth, aliases, fields, cost, one chargeCredits (linear walks). An
 *    over-limit document is swapped for an empty stand-in whose validation reports the errors.
 *
 * Either way the errors take Apollo's ordinary path (the error-logging plugin, formatError, the
 * request id), and a rejected document never enters the document store. No verdict is cached by
 * document text: each check is linear, so a caller who varies the document on every request
 * costs what one who repeats it does.
 */
import type { ApolloServerPlugin, BaseContext, DocumentStore, GraphQLRequestListener } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind, Source, type DocumentNode, type ValidationRule } from 'graphql';
import { costErrors } from './cost-limits';
import { withoutStack } from './limit-error';
import { depthError, fieldLimitMessage, selectionCountErrors } from './limits';
import { SourceScanner, type SourceVerdict } from './source-scan';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  maxCost: number;
  /** Also given to graphql-js's parser (`parseOptions.maxTokens`). */
  maxTokens: number;
}

/** The error for text over MAX_TOKENS or MAX_FIELDS, as the parser or the field check words it. */
function sourceLimitError(body: string, verdict: SourceVerdict, limits: DocumentLimits): GraphQLError {
  const tokens = verdict.limit === 'tokens';
  // graphql-js's own words for the token limit, its typo included ("more that").
  const message = tokens
    ? `Syntax Error: Document contains more that ${limits.maxTokens} tokens. Parsing aborted.`
    : fieldLimitMessage(limits.maxFields);
  const code = tokens ? ApolloServerErrorCode.GRAPHQL_PARSE_FAILED : ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED;
  return withoutStack(
    () =>
      new GraphQLError(message, {
        source: new Source(body),
        positions: [verdict.position],
        extensions: { code, http: { status: 400 } },
      }),
  );
}

/** Every limit the document breaks (at most one error per limit), in a stable order. */
export function documentLimitErrors(document: DocumentNode, limits: DocumentLimits): GraphQLError[] {
  const depth = depthError(document, limits.maxDepth);
  return [
    ...(depth ? [depth] : []),
    ...selectionCountErrors(document, limits),
    ...costErrors(document, limits.maxCost),
  ];
}

export interface DocumentLimitsGate<TContext extends BaseContext> {
  /** Checks each document's text and each newly parsed document; list it with the server's plugins. */
  plugin: ApolloServerPlugin<TContext>;
  /** Reports what the plugin found after parsing; list it in the server's `validationRules`. */
  validationRule: ValidationRule;
  /** The server's document store, through which a document rejected before parsing skips the parser. */
  documentStore(store: DocumentStore): DocumentStore;
}

/** The errors an empty stand-in document stands for, found after parsing. */
const LIMIT_ERRORS = Symbol('limitErrors');
/** The error a stand-in stands for, found in the text before parsing. */
const SOURCE_ERROR = Symbol('sourceError');

interface StandIn extends DocumentNode {
  readonly [LIMIT_ERRORS]?: readonly GraphQLError[];
  readonly [SOURCE_ERROR]?: GraphQLError;
}

/** Stand-ins waiting for their store lookup: a handful at most (the lookup follows at once). */
const MAX_PENDING = 256;

export function documentLimitsGate<TContext extends BaseContext>(limits: DocumentLimits): DocumentLimitsGate<TContext> {
  const scanner = new SourceScanner(limits.maxTokens, limits.maxFields);
  /** Query hash → stand-in, from the text check until Apollo's document-store lookup takes it. */
  const pending = new Map<string, StandIn>();
  const hooks: GraphQLRequestListener<TContext> = {
    // Before parsing: text over MAX_TOKENS or MAX_FIELDS is answered from a stand-in that the
    // store lookup, next in Apollo's pipeline, hands out as if cached; Apollo then neither parses
    // nor validates it, and the error is thrown once the (absent) operation is resolved.
    async didResolveSource({ source, queryHash }) {
      const verdict = scanner.scan(source);
      if (!verdict) return;
      if (pending.size >= MAX_PENDING) pending.clear(); // lookups that never came: only a bound
      pending.set(queryHash, {
        kind: Kind.DOCUMENT,
        definitions: [],
        [SOURCE_ERROR]: sourceLimitError(source, verdict, limits),
      });
    },
    async didResolveOperation({ document }) {
      const error = (document as StandIn)[SOURCE_ERROR];
      if (error) throw error;
    },
    async parsingDidStart(requestContext) {
      return async (parseError) => {
        const document = requestContext.document;
        if (parseError || !document) return;
        const errors = documentLimitErrors(document, limits);
        if (errors.length === 0) return;
        // The errors ride on the stand-in itself: in a WeakMap they (and through their nodes the
        // whole parsed document) outlived the request until the next full GC.
        const standIn: StandIn = { kind: Kind.DOCUMENT, definitions: [], [LIMIT_ERRORS]: errors };
        // Apollo validates (and would cache) whatever document the request context holds next.
        (requestContext as { document?: DocumentNode }).document = standIn;
      };
    },
  };
  return {
    plugin: {
      // One hooks object for every request; a closure is made only when a document is parsed.
      async requestDidStart() {
        return hooks;
      },
    },
    documentStore: (store) => ({
      async get(key) {
        for (const [hash, standIn] of pending) {
          if (key.endsWith(hash)) {
            pending.delete(hash);
            return standIn;
          }
        }
        return store.get(key);
      },
      set: (key, value, options) => store.set(key, value, options),
      delete: (key) => store.delete(key),
    }),
    validationRule: (context) => {
      const errors = (context.getDocument() as StandIn)[LIMIT_ERRORS];
      if (errors) for (const error of errors) context.reportError(error);
      return {};
    },
  };
}
