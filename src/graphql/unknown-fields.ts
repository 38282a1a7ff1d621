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
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
} from 'graphql';
import { withoutStack } from './limit-error';

/** What a field selects: the composite type its selection set is checked against, or LEAF. */
const LEAF = null;
type Selected = GraphQLCompositeType | typeof LEAF;

/** A selection set's type as TypeInfo derives it: the named type, when it is composite. */
function composite(type: GraphQLType | null | undefined): GraphQLCompositeType | undefined {
  const named = type ? getNamedType(type) : undefined;
  return named && isCompositeType(named) ? named : undefined;
}

/**
 * Each composite type's fields as the walk needs them, made once per type and schema: graphql-js's
 * getFieldDef and type predicates per field cost most of the walk (the predicates take a slow
 * path outside production whenever they answer no).
 */
class FieldIndex {
  private readonly byType = new Map<GraphQLCompositeType, ReadonlyMap<string, Selected>>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** What `parentType`'s field `name` selects; undefined when it has none (graphql-js's getFieldDef). */
  field(parentType: GraphQLCompositeType, name: string): Selected | undefined {
    let fields = this.byType.get(parentType);
    if (!fields) {
      fields = this.fieldsOf(parentType);
      this.byType.set(parentType, fields);
    }
    return fields.get(name);
  }

  private fieldsOf(type: GraphQLCompositeType): ReadonlyMap<string, Selected> {
    const fields = new Map<string, Selected>([['__typename', LEAF]]); // on every composite type
    if (type === this.schema.getQueryType()) {
      fields.set('__schema', composite(this.schema.getType('__Schema')) ?? LEAF);
      fields.set('__type', composite(this.schema.getType('__Type')) ?? LEAF);
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) fields.set(field.name, composite(field.type) ?? LEAF);
    }
    return fields;
  }
}

const indexes = new WeakMap<GraphQLSchema, FieldIndex>();

/**
 * graphql-js's error for the first unknown field in document order (the order its visitor
 * reports them), or null. Fragments are walked where they are defined, once each, as graphql-js
 * validation walks them: the walk is linear in the document.
 */
export function unknownFieldError(schema: GraphQLSchema, document: DocumentNode): GraphQLError | null {
  let index = indexes.get(schema);
  if (!index) {
    index = new FieldIndex(schema);
    indexes.set(schema, index);
  }
  const fields = index;
  let found: { node: FieldNode; type: GraphQLCompositeType } | null = null;
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType | undefined): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        let selected: Selected | undefined = LEAF;
        if (parentType) {
          selected = fields.field(parentType, selection.name.value);
          if (selected === undefined) {
            found = { node: selection, type: parentType };
            return true;
          }
        }
        if (selection.selectionSet && walk(selection.selectionSet, selected ?? undefined)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? composite(schema.getType(selection.typeCondition.name.value))
          : parentType;
        if (walk(selection.selectionSet, type)) return true;
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
