/**
 * Validation rules that bound what one document may ask for. They run before execution, so an
 * over-limit document is answered 400 (GRAPHQL_VALIDATION_FAILED) without touching a resolver.
 * Token count is bounded by graphql-js itself (`parseOptions.maxTokens`).
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { FragmentMemo } from './fragment-memo';

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

export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    // One calculator per document: operations share fragment depths.
    const depths = new DepthCalculator(context.getDocument());
    return {
      OperationDefinition(node) {
        const depth = depths.selectionSet(node.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query depth ${depth} exceeds the maximum of ${maxDepth}.`, { nodes: [node] }),
          );
        }
        return false; // nothing below an operation concerns this rule
      },
      FragmentDefinition: () => false,
    };
  };
}

export function maxAliasesRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(node) {
        if (!node.alias) return;
        aliases += 1;
        if (aliases > maxAliases && !reported) {
          reported = true;
          context.reportError(
            new GraphQLError(`The document uses more than ${maxAliases} aliases.`, { nodes: [node] }),
          );
        }
      },
    };
  };
}
