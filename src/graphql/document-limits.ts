/**
 * Document limits (depth, aliases, fields, cost, one chargeCredits) checked as soon as a document
 * is parsed, before graphql-js validation. A rejection then costs a parse and a few linear walks:
 * graphql-js's full rule set never runs on a document over a limit (set up per call, it costs
 * more than serving a cached query, and OverlappingFieldsCanBeMerged is quadratic in the fields).
 *
 * Apollo Server has no hook that answers a request between parsing and validation, so the
 * parsing hook swaps an over-limit document for an empty stand-in whose validation is nearly
 * free, and one validation rule reports the limit errors recorded for that stand-in. The errors
 * then take Apollo's ordinary path: 400 GRAPHQL_VALIDATION_FAILED, the error-logging plugin,
 * formatError, the request id. A rejected document never enters the document store (Apollo keeps
 * only valid ones), and a cached document was checked when it was first parsed, so every document
 * that reaches execution has passed. No verdict is cached by document text: each check is linear,
 * so a caller who varies the document each time costs what one who repeats it does.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLError, type ValidationRule } from 'graphql';
import { costErrors } from './cost-limits';
import { depthError, selectionCountErrors } from './limits';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  maxCost: number;
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
  /** Checks each newly parsed document; list it with the server's plugins. */
  plugin: ApolloServerPlugin<TContext>;
  /** Reports what the plugin found; list it in the server's `validationRules`. */
  validationRule: ValidationRule;
}

/** The errors an empty stand-in document stands for. */
const LIMIT_ERRORS = Symbol('limitErrors');

interface StandIn extends DocumentNode {
  readonly [LIMIT_ERRORS]?: readonly GraphQLError[];
}

export function documentLimitsGate<TContext extends BaseContext>(limits: DocumentLimits): DocumentLimitsGate<TContext> {
  const hooks: GraphQLRequestListener<TContext> = {
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
    validationRule: (context) => {
      const errors = (context.getDocument() as StandIn)[LIMIT_ERRORS];
      if (errors) for (const error of errors) context.reportError(error);
      return {};
    },
  };
}
