/**
 * The first field a document asks of a type that has no such field, found by one walk over the
 * parsed document and worded as graphql-js's FieldsOnCorrectTypeRule words it (without its "Did
 * you mean"). graphql-js validation walks the document through TypeInfo and a visitor for every
 * rule: ~0.7 ms for 200 fields here, and OverlappingFieldsCanBeMerged compares duplicate fields
 * pairwise besides (~2 ms for 16 on each of 12 keys), so a document within every limit cost up to
 * 3.5× a served request to reject for one unknown field. This walk resolves types exactly as
 * TypeInfo does, so it finds an unknown field exactly where that rule would report one.
 */
import {
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  getNamedType,
} from 'graphql';
import { withoutStack } from './limit-error';

/** The type of `parentType`'s field `name` (null: `__typename`), undefined if it has none: graphql-js's getFieldDef. */
function fieldType(
  schema: GraphQLSchema,
  parentType: GraphQLCompositeType,
  name: string,
): GraphQLOutputType | null | undefined {
  if (name === '__typename') return null; // a leaf on every composite type
  if ((name === '__schema' || name === '__type') && parentType === schema.getQueryType()) {
    return (name === '__schema' ? schema.getType('__Schema') : schema.getType('__Type')) as GraphQLOutputType;
  }
  if (isObjectType(parentType) || isInterfaceType(parentType)) {
    const field = parentType.getFields()[name];
    return field ? field.type : undefined;
  }
  return undefined;
}

/** A selection set's type as TypeInfo derives it: the named type, when it is composite. */
function composite(type: unknown): GraphQLCompositeType | undefined {
  const named = type ? getNamedType(type as GraphQLOutputType) : undefined;
  return named && isCompositeType(named) ? named : undefined;
}

/**
 * graphql-js's error for the first unknown field in document order (the order its visitor
 * reports them), or null. Fragments are walked where they are defined, once each, as graphql-js
 * validation walks them: the walk is linear in the document.
 */
export function unknownFieldError(schema: GraphQLSchema, document: DocumentNode): GraphQLError | null {
  let found: { node: FieldNode; type: GraphQLCompositeType } | null = null;
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType | undefined): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        let type: GraphQLOutputType | null | undefined;
        if (parentType) {
          type = fieldType(schema, parentType, selection.name.value);
          if (type === undefined) {
            found = { node: selection, type: parentType };
            return true;
          }
        }
        if (selection.selectionSet && walk(selection.selectionSet, type ? composite(type) : undefined)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (walk(selection.selectionSet, composite(type))) return true;
      }
    }
    return false;
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      const root = schema.getRootType(definition.operation);
      if (walk(definition.selectionSet, isObjectType(root) ? root : undefined)) break;
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      if (walk(definition.selectionSet, composite(schema.getType(definition.typeCondition.name.value)))) break;
    }
  }
  if (!found) return null;
  const { node, type } = found as { node: FieldNode; type: GraphQLCompositeType };
  return withoutStack(
    () => new GraphQLError(`Cannot query field "${node.name.value}" on type "${type.name}".`, { nodes: node }),
  );
}
