/**
 * MAX_DUPLICATE_FIELDS: how many fields may merge into one key of the response. graphql-js's
 * OverlappingFieldsCanBeMerged compares every pair of fields with the same response name in a
 * selection set (fields from inline fragments and fragment spreads included), and for each pair
 * of same-named fields with sub-selections it compares their sub-fields pairwise again. So 10
 * `a { x … }` with 19 `x` each cost 45 × 361 comparisons although no selection set holds more
 * than 19 of a name: what bounds the work is the number of fields merged into one response key,
 * nested merges included. An invalid document is never cached, so that work was repeatable.
 *
 * The count is an upper bound, one number per selection set, so the walk is linear: a fragment's
 * number is computed once (FragmentMemo) and a spread adds it, where merging the fragment's
 * fields name by name would cost its size at every spread (300 operations spreading one
 * 150-field fragment: 45,000 steps). For a selection set: the largest group of its own
 * same-named fields (inline fragments' included), or the largest sum of its same-named fields'
 * own numbers (their sub-fields merge), whichever is larger, plus each spread fragment's number
 * (a fragment spread twice in one selection set counts once, as execution and graphql-js treat
 * it). It over-counts only names that do not collide across fragments, so a selection set that
 * spreads more than 16 fragments is refused; Apollo Client adds `__typename` to every fragment,
 * so there the count is exact.
 */
import { Kind, type DocumentNode, type FieldNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import { FragmentMemo } from './fragment-memo';
import { limitError } from './limit-error';

interface Bound {
  /** No more fields than this merge into any response key at or under the selection set. */
  count: number;
  /** The field the count is reached at (where an error points), null for an empty set. */
  at: FieldNode | null;
}

const NONE: Bound = { count: 0, at: null };

/** Per response name in one selection set: its fields and the sum of their sub-selections' bounds. */
interface Group {
  fields: number;
  nested: number;
  first: FieldNode;
  /** Where the first member's sub-selection reaches its bound: the key the nested sum is about. */
  nestedAt: FieldNode | null;
}

class DuplicateCounter extends FragmentMemo<Bound> {
  constructor(document: DocumentNode) {
    super(document, NONE);
  }

  selectionSet(selectionSet: SelectionSetNode | undefined): Bound {
    if (!selectionSet) return NONE;
    const groups = new Map<string, Group>();
    const spread = new Set<string>();
    const fragments = { count: 0, at: null as FieldNode | null };
    this.collect(selectionSet, groups, spread, fragments);
    let own = 0;
    let at: FieldNode | null = null;
    for (const group of groups.values()) {
      const count = Math.max(group.fields, group.nested);
      if (count > own) {
        own = count;
        at = group.fields >= group.nested ? group.first : group.nestedAt;
      }
    }
    return { count: own + fragments.count, at: at ?? fragments.at };
  }

  /** Own fields of `selectionSet` and its inline fragments (they share response keys), and its spreads. */
  private collect(
    selectionSet: SelectionSetNode,
    groups: Map<string, Group>,
    spread: Set<string>,
    fragments: { count: number; at: FieldNode | null },
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const inner = selection.selectionSet ? this.selectionSet(selection.selectionSet) : NONE;
        const name = (selection.alias ?? selection.name).value;
        const group = groups.get(name);
        if (group) {
          group.fields += 1;
          group.nested += inner.count;
          group.nestedAt ??= inner.at;
        } else groups.set(name, { fields: 1, nested: inner.count, first: selection, nestedAt: inner.at });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.collect(selection.selectionSet, groups, spread, fragments);
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const bound = this.fragment(selection.name.value);
        fragments.count += bound.count;
        fragments.at ??= bound.at;
      }
    }
  }
}

export const duplicateFieldsMessage = (count: number, max: number, responseName: string) =>
  `Up to ${count} fields merge into one response key (at "${responseName.slice(0, 100)}"; same-named ` +
  `fields, fragments and same-named parent fields counted); at most ${max} may.`;

/** The largest bound over the document's operations and fragments. */
export function worstDuplicateFields(document: DocumentNode): Bound {
  const counter = new DuplicateCounter(document);
  let worst = NONE;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const bound = counter.selectionSet(definition.selectionSet);
    if (bound.count > worst.count) worst = bound;
  }
  return worst;
}

/** An error when more than `max` fields may merge into one response key; null otherwise. */
export function duplicateFieldsError(document: DocumentNode, max: number): GraphQLError | null {
  const { count, at } = worstDuplicateFields(document);
  if (count <= max || !at) return null;
  return limitError(duplicateFieldsMessage(count, max, (at.alias ?? at.name).value), at);
}
