/**
 * Argument limits checked once the operation is resolved and before anything executes: an
 * over-limit `creditTransactions(first:)` or filter id list is answered 400 BAD_USER_INPUT with
 * no resolver run (so no sibling field reaches the upstream either). Argument values are
 * computed as execution would (literals, variables, defaults), through fragments and inline
 * fragments.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getVariableValues,
} from 'graphql';
import { ErrorCode } from './errors';
import { MAX_PAGE_SIZE } from '../reader/pagination/transaction-connection';

export const MAX_FILTER_IDS = 100;

const LIMITED_FIELD = 'creditTransactions';

function limitError(field: string, message: string, node: FieldNode): GraphQLError {
  return new GraphQLError(message, {
    nodes: [node],
    extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } },
  });
}

/** Every `creditTransactions` field of the root query type the operation selects, with its definition. */
function limitedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): { node: FieldNode; definition: GraphQLField<unknown, unknown> }[] {
  const queryType = schema.getQueryType();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const found: { node: FieldNode; definition: GraphQLField<unknown, unknown> }[] = [];
  const visitedFragments = new Set<string>();

  const walk = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): void => {
    if (!selectionSet || !parent) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        if (parent === queryType && selection.name.value === LIMITED_FIELD) found.push({ node: selection, definition });
        walk(selection.selectionSet, getNamedType(definition.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(
          selection.selectionSet,
          selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? undefined) : parent,
        );
      } else {
        // A fragment's selections depend on its own type condition only: one visit is enough.
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
      }
    }
  };

  const root =
    operation.operation === 'query'
      ? queryType
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  walk(operation.selectionSet, root ?? undefined);
  return found;
}

/** The first limit an operation breaks, or null. */
export function checkArgumentLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  const fields = limitedFields(schema, document, operation);
  if (fields.length === 0) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  // Invalid variables are execution's to report, with its own messages.
  if (coerced.errors) return null;
  for (const { node, definition } of fields) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, coerced.coerced);
    } catch {
      continue; // likewise an argument execution would reject
    }
    const first = args.first;
    if (typeof first === 'number' && (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)) {
      return limitError('first', `first must be between 1 and ${MAX_PAGE_SIZE}.`, node);
    }
    const filter = args.filter as Record<string, unknown> | null | undefined;
    for (const key of ['ids', 'externalRefIds'] as const) {
      const list = filter?.[key];
      if (Array.isArray(list) && list.length > MAX_FILTER_IDS) {
        return limitError(`filter.${key}`, `filter.${key} takes at most ${MAX_FILTER_IDS} values.`, node);
      }
    }
  }
  return null;
}

/**
 * Operations that select no limited field, remembered per parsed operation: Apollo's document
 * store hands out the same DocumentNode (and so the same OperationDefinitionNode) for the same
 * query text, so the walk runs once per distinct document, not once per request. Operations
 * that do select one are checked every time, since their verdict depends on the variables.
 */
const cannotTrip = new WeakSet<OperationDefinitionNode>();

export function argumentLimitsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const hooks = {
    async didResolveOperation({
      schema,
      document,
      operation,
      request,
    }: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operation?: OperationDefinitionNode;
      request: { variables?: Record<string, unknown> };
    }) {
      if (!operation || cannotTrip.has(operation)) return; // no operation: Apollo has already refused the document
      if (limitedFields(schema, document, operation).length === 0) {
        cannotTrip.add(operation);
        return;
      }
      const error = checkArgumentLimits(schema, document, operation, request.variables);
      if (error) throw error;
    },
  };
  return {
    // One hooks object for every request: no closure or object made per request.
    async requestDidStart() {
      return hooks;
    },
  };
}
