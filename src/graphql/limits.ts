/**
 * Checks that bound what one document may ask for: depth, aliases and fields. Each is linear in
 * the document; document-limits.ts runs them before graphql-js validation, so an over-limit
 * document is answered 400 (GRAPHQL_VALIDATION_FAILED) without touching a resolver. Token count
 * is bounded by graphql-js itself (`parseOptions.maxTokens`).
 */
import { Kind, type DocumentNode, type FieldNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import { FragmentMemo } from './fragment-memo';
import { fieldLimitMessage, limitError } from './limit-error';

/**
 * Depth of every fragment, each computed once: a spread costs a lookup, not a re-walk, so the
 * rule is linear in the document however often fragments spread one another (a chain of
 * fragments each spreading the next twice would otherwise be walked 2^n times).
 * Introspection fields count like any other (`__schema { types { fields { type { ofType … } } } }`
 * is the classic deep query). A spread inside a cycle counts 0 here: NoFragmentCycles reports it.
 */
class DepthCalculator extends FragmentMemo<number> {
  constructor(document: DocumentNode) {
    super(document, 0);
  }

  selectionSet(selectionSet: SelectionSetNode | undefined): number {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      let depth: number;
      if (selection.kind === Kind.FIELD) depth = 1 + this.selectionSet(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) depth = this.selectionSet(selection.selectionSet);
      else depth = this.fragment(selection.name.value);
      if (depth > deepest) deepest = depth;
    }
    return deepest;
  }
}

/** The first operation deeper than `maxDepth`, as an error; null when every operation fits. */
export function depthError(document: DocumentNode, maxDepth: number): GraphQLError | null {
  // One calculator per document: operations share fragment depths.
  const depths = new DepthCalculator(document);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depths.selectionSet(definition.selectionSet);
    if (depth > maxDepth) return limitError(`Query depth ${depth} exceeds the maximum of ${maxDepth}.`, definition);
  }
  return null;
}

/**
 * Aliases and fields as written in the document (a fragment's fields count once, however often
 * it is spread): one pass over the nodes. The field count bounds graphql-js's own validation,
 * whose OverlappingFieldsCanBeMerged compares fields pairwise (quadratic in their number).
 */
/** Every field written in the document, once each (a fragment's once, however often it is spread). */
export function forEachWrittenField(document: DocumentNode, visit: (field: FieldNode) => void): void {
  const walk = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        visit(selection);
        if (selection.selectionSet) walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) {
      walk(definition.selectionSet);
    }
  }
}

export function selectionCountErrors(
  document: DocumentNode,
  limits: { maxAliases: number; maxFields: number },
): GraphQLError[] {
  let aliases = 0;
  let fields = 0;
  let overAliases: FieldNode | null = null;
  let overFields: FieldNode | null = null;
  forEachWrittenField(document, (field) => {
    if (++fields > limits.maxFields) overFields ??= field;
    if (field.alias && ++aliases > limits.maxAliases) overAliases ??= field;
  });
  const errors: GraphQLError[] = [];
  if (overAliases) errors.push(limitError(`The document uses more than ${limits.maxAliases} aliases.`, overAliases));
  if (overFields) errors.push(limitError(fieldLimitMessage(limits.maxFields), overFields));
  return errors;
}
