/**
 * Per-operation cost: each selection of an upstream-bound field costs 1, however it is reached
 * (aliases, fragments, inline fragments). Upstream-bound fields are `creditBalance`,
 * `creditTransaction`, `creditTransactions` (one connection page) and `_entities`; nothing is
 * multiplied (not by `first`, not by nesting), so the cost is the number of upstream-bound
 * selections the operation expands to. A mutation may also select `chargeCredits` at most once.
 * Over either bound → 400 GRAPHQL_VALIDATION_FAILED before any resolver runs (document-limits.ts).
 *
 * Linear like the depth rule in limits.ts (both use FragmentMemo): each fragment's cost is
 * computed once and a spread costs a lookup; a spread inside a cycle counts 0.
 */
import { Kind, type DocumentNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import { FragmentMemo } from './fragment-memo';
import { limitError } from './limit-error';

export const UPSTREAM_BOUND_FIELDS: ReadonlySet<string> = new Set([
  'creditBalance',
  'creditTransaction',
  'creditTransactions',
  '_entities',
]);
const CHARGE_FIELD = 'chargeCredits';

interface Cost {
  /** Upstream-bound selections. */
  upstream: number;
  /** `chargeCredits` selections. */
  charges: number;
}

const ZERO: Cost = { upstream: 0, charges: 0 };

class CostCalculator extends FragmentMemo<Cost> {
  constructor(document: DocumentNode) {
    super(document, ZERO);
  }

  selectionSet(selectionSet: SelectionSetNode | undefined): Cost {
    if (!selectionSet) return ZERO;
    let upstream = 0;
    let charges = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        // Summed in place: no object per field (a wide document has thousands).
        const name = selection.name.value;
        if (UPSTREAM_BOUND_FIELDS.has(name)) upstream += 1;
        else if (name === CHARGE_FIELD) charges += 1;
        if (!selection.selectionSet) continue;
        const inner = this.selectionSet(selection.selectionSet);
        upstream += inner.upstream;
        charges += inner.charges;
        continue;
      }
      const cost =
        selection.kind === Kind.INLINE_FRAGMENT
          ? this.selectionSet(selection.selectionSet)
          : this.fragment(selection.name.value);
      upstream += cost.upstream;
      charges += cost.charges;
    }
    if (upstream === 0 && charges === 0) return ZERO;
    return { upstream, charges };
  }
}

/** The first operation over either bound (two `chargeCredits`, cost over `maxCost`), as errors. */
export function costErrors(document: DocumentNode, maxCost: number): GraphQLError[] {
  // One calculator per document: operations share fragment costs.
  const costs = new CostCalculator(document);
  let charges: GraphQLError | null = null;
  let cost: GraphQLError | null = null;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const { upstream, charges: selected } = costs.selectionSet(definition.selectionSet);
    if (selected > 1) {
      charges ??= limitError(
        `An operation may select chargeCredits at most once; this one selects it ${selected} times.`,
        definition,
      );
    }
    if (upstream > maxCost)
      cost ??= limitError(`Operation cost ${upstream} exceeds the maximum of ${maxCost}.`, definition);
  }
  return [charges, cost].filter((error): error is GraphQLError => error !== null);
}
