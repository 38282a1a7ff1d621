/**
 * Argument limits checked once the operation is resolved and before anything executes: an
 * over-limit argument (such as `creditTransactions(first:)` or a filter's id list) is answered
 * 400 BAD_USER_INPUT with no resolver run (so no sibling field reaches the upstream either).
 * Argument values are computed as execution would (literals, variables, defaults), through
 * fragments and inline fragments.
 *
 * The limits are declared where the field and its inputs are (declared-limits.ts); this plugin
 * finds them in the schema, once per schema, and knows no field by name.
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
import { breach, limitIndex, type LimitCheck } from './declared-limits';
import { ErrorCode } from './errors';

function limitError(field: string, message: string, node: FieldNode): GraphQLError {
  return new GraphQLError(message, {
    nodes: [node],
    extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } },
  });
}

function valueAt(args: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = args;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

interface LimitedField {
  node: FieldNode;
  definition: GraphQLField<unknown, unknown>;
  checks: readonly LimitCheck[];
}

/** Every field the operation selects that declares limits, with its definition and checks. */
function limitedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): LimitedField[] {
  const index = limitIndex(schema).byField;
  const found: LimitedField[] = [];
  if (index.size === 0) return found;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visitedFragments = new Set<string>();

  const walk = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): void => {
    if (!selectionSet || !parent) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        const checks = index.get(definition);
        if (checks) found.push({ node: selection, definition, checks });
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
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  walk(operation.selectionSet, root ?? undefined);
  return found;
}

/** An operation's limited fields, and whether it is known to pass whatever the request. */
interface RememberedLimits {
  readonly fields: readonly LimitedField[];
  /**
   * An operation that declares no variables has the same argument values on every request
   * (literals and defaults): once it has passed, it passes, and is not checked again.
   */
  passes: boolean;
}

/**
 * The limited fields of an operation, remembered per schema and parsed operation: Apollo's
 * document store hands out the same DocumentNode (and so the same OperationDefinitionNode) for
 * the same query text, so the walk runs once per distinct document, not once per request. The
 * verdict depends on the variables and is reached every time, unless there are none.
 */
const limitedByOperation = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, RememberedLimits>>();

function rememberedLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): RememberedLimits {
  let bySchema = limitedByOperation.get(schema);
  if (!bySchema) limitedByOperation.set(schema, (bySchema = new WeakMap()));
  let remembered = bySchema.get(operation);
  if (!remembered) {
    const fields = limitedFields(schema, document, operation);
    bySchema.set(operation, (remembered = { fields, passes: fields.length === 0 }));
  }
  return remembered;
}

/** A value the document or the request's variables do not give as it is: it needs coercion. */
const NEEDS_COERCION = Symbol('needs coercion');

/**
 * A GUID check of a field's own argument reads the value as written, a string literal or a
 * string variable (ID coercion keeps a string as it is), sparing the coercion of every variable
 * per request (twenty aliased lookups: ~50 µs coerced, ~5 µs read). Anything else (a default, a
 * number, an input object) is coerced as execution would.
 */
function rawArgument(
  node: FieldNode,
  path: readonly string[],
  limit: LimitCheck['limit'],
  variables: Record<string, unknown> | undefined,
): unknown {
  if (path.length !== 1 || !limit.guid || limit.range || limit.maxItems !== undefined) return NEEDS_COERCION;
  const value = node.arguments?.find((arg) => arg.name.value === path[0])?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.VARIABLE && variables && Object.hasOwn(variables, value.name.value)) {
    const raw = variables[value.name.value];
    if (typeof raw === 'string') return raw;
  }
  return NEEDS_COERCION;
}

/** The first limit an operation breaks, or null. */
export function checkArgumentLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  const remembered = rememberedLimits(schema, document, operation);
  if (remembered.passes) return null;
  const error = firstBreach(schema, operation, remembered.fields, variables);
  if (!error && !operation.variableDefinitions?.length) remembered.passes = true;
  return error;
}

function firstBreach(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fields: readonly LimitedField[],
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  /** Coerced once, when a check first needs it; null: invalid (execution's to report, with its own messages). */
  let coerced: Record<string, unknown> | null | undefined;
  const coercedVariables = (): Record<string, unknown> | null => {
    if (coerced === undefined) {
      const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
      coerced = result.errors ? null : result.coerced;
    }
    return coerced;
  };
  for (const { node, definition, checks } of fields) {
    /** Null: an argument execution would reject, likewise execution's to report. */
    let args: Record<string, unknown> | null | undefined;
    for (const { path, limit } of checks) {
      let value = rawArgument(node, path, limit, variables);
      if (value === NEEDS_COERCION) {
        if (args === undefined) args = argumentValues(definition, node, coercedVariables());
        if (args === null) continue;
        value = valueAt(args, path);
      }
      const name = path.join('.');
      const message = breach(value, limit, name);
      if (message) return limitError(name, message, node);
    }
  }
  return null;
}

function argumentValues(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (variables === null) return null;
  try {
    return getArgumentValues(definition, node, variables);
  } catch {
    return null;
  }
}

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
      if (!operation) return; // no operation: Apollo has already refused the document
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
