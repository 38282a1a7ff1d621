/**
 * A per-document fold over selection sets in which every fragment is computed once: a spread
 * costs a lookup, not a re-walk, so a rule built on it is linear in the document however often
 * fragments spread one another (a chain each spreading the next twice would otherwise be walked
 * 2^n times). A spread inside a cycle yields `empty`: NoFragmentCycles reports the cycle.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export abstract class FragmentMemo<T> {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly results = new Map<string, T>();
  private readonly inProgress = new Set<string>();

  constructor(
    document: DocumentNode,
    private readonly empty: T,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  abstract selectionSet(selectionSet: SelectionSetNode | undefined): T;

  protected fragment(name: string): T {
    const known = this.results.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (!fragment || this.inProgress.has(name)) return this.empty;
    this.inProgress.add(name);
    const result = this.selectionSet(fragment.selectionSet);
    this.inProgress.delete(name);
    this.results.set(name, result);
    return result;
  }
}
