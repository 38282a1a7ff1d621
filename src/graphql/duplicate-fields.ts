/**
 * MAX_DUPLICATE_FIELDS: how many fields may answer to one key of the response. graphql-js's
 * OverlappingFieldsCanBeMerged compares every pair of fields with the same response name in a
 * selection set (fields from inline fragments and fragment spreads included), and for each pair
 * of same-named fields with sub-selections it compares their sub-fields pairwise again. So 10
 * `a { x … }` with 19 `x` each cost 45 × 361 comparisons although no selection set holds more
 * than 19 of a name: what bounds the work is the number of fields *merged into one response
 * key*, nested merges included. An invalid document is never cached, so that work was repeatable.
 *
 * The bound computed here, per response key: a group of same-named fields in a selection set
 * counts its members, and the key under it counts the sum over the members of each member's own
 * worst key (an upper bound on the merged count: never less than what the merge holds). Linear:
 * each selection set is summarised once, a fragment's summary is memoised (FragmentMemo) and a
 * spread merges it; a fragment spread twice into one selection set counts once, as execution
 * and graphql-js treat it.
 */
import { Kind, type DocumentNode, type FieldNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import { FragmentMemo } from './fragment-memo';
import { limitError } from './limit-error';

/** Per response name: how many fields of that name, and the sum of their worst nested keys. */
interface Group {
  fields: number;
  nested: number;
  /** The first field of the name, where an error points. */
  first: FieldNode;
  /** The first field of the worst key under the group's members. */
  nestedAt: FieldNode | null;
}

interface Summary {
  groups: Map<string, Group>;
  /** Fragment names merged in (their own spreads included), each once. */
  fragments: Set<string>;
  /** The worst key in or under this selection set. */
  worst: number;
  /** Where the worst key's first field is. */
  at: FieldNode | null;
}

const EMPTY: Summary = { groups: new Map(), fragments: new Set(), worst: 0, at: null };

class DuplicateCounter extends FragmentMemo<Summary> {
  constructor(document: DocumentNode) {
    super(document, EMPTY);
  }

  selectionSet(selectionSet: SelectionSetNode | undefined): Summary {
    if (!selectionSet) return EMPTY;
    const summary: Summary = { groups: new Map(), fragments: new Set(), worst: 0, at: null };
    this.collect(selectionSet, summary);
    for (const group of summary.groups.values()) {
      const worst = Math.max(group.fields, group.nested);
      if (worst > summary.worst) {
        summary.worst = worst;
        summary.at = group.fields >= group.nested ? group.first : group.nestedAt;
      }
    }
    return summary;
  }

  /** Fields of `selectionSet` and its inline fragments into `summary` (they share response keys). */
  private collect(selectionSet: SelectionSetNode, summary: Summary): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const inner = selection.selectionSet ? this.selectionSet(selection.selectionSet) : EMPTY;
        // A sub-selection's own worst key counts even when its field is alone in its group.
        if (inner.worst > summary.worst) {
          summary.worst = inner.worst;
          summary.at = inner.at;
        }
        this.add(summary, (selection.alias ?? selection.name).value, 1, inner.worst, selection, inner.at);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.collect(selection.selectionSet, summary);
      } else {
        this.spread(selection.name.value, summary);
      }
    }
  }

  private spread(name: string, summary: Summary): void {
    if (summary.fragments.has(name)) return;
    summary.fragments.add(name);
    const fragment = this.fragment(name);
    if (fragment.worst > summary.worst) {
      summary.worst = fragment.worst;
      summary.at = fragment.at;
    }
    for (const [responseName, group] of fragment.groups) {
      this.add(summary, responseName, group.fields, group.nested, group.first, group.nestedAt);
    }
    // Fragments it spread are in its groups already: recorded so a second path adds nothing.
    for (const inner of fragment.fragments) summary.fragments.add(inner);
  }

  private add(
    summary: Summary,
    responseName: string,
    fields: number,
    nested: number,
    first: FieldNode,
    nestedAt: FieldNode | null,
  ): void {
    const group = summary.groups.get(responseName);
    if (!group) summary.groups.set(responseName, { fields, nested, first, nestedAt });
    else {
      group.fields += fields;
      group.nested += nested;
      group.nestedAt ??= nestedAt;
    }
  }
}

export const duplicateFieldsMessage = (count: number, max: number, responseName: string) =>
  `Up to ${count} fields merge into the response key "${responseName.slice(0, 100)}" (fragments and ` +
  `same-named parent fields counted); at most ${max} may.`;

/** The worst count of fields merged into one response key, over the document's operations and fragments. */
export function worstDuplicateFields(document: DocumentNode): { count: number; at: FieldNode | null } {
  const counter = new DuplicateCounter(document);
  let count = 0;
  let at: FieldNode | null = null;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const summary = counter.selectionSet(definition.selectionSet);
    if (summary.worst > count) {
      count = summary.worst;
      at = summary.at;
    }
  }
  return { count, at };
}

/** An error when more than `max` fields answer to one response key; null otherwise. */
export function duplicateFieldsError(document: DocumentNode, max: number): GraphQLError | null {
  const { count, at } = worstDuplicateFields(document);
  if (count <= max || !at) return null;
  return limitError(duplicateFieldsMessage(count, max, (at.alias ?? at.name).value), at);
}
