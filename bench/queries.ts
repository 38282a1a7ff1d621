/** The queries the bench tools load the gateway with, written once so every tool measures the same request. */

/** The ledger's request: one upstream balance call per request. */
export const BALANCE_QUERY = '{ creditBalance { availableCredits } }';

/** What each aliased lookup selects in the lookup phases. */
export const LOOKUP_SELECTION = '{ id amount { credits } }';

/** `creditTransaction(id:)` once per id, aliased t0, t1, …, each selecting `selection`. */
export function aliasedLookup(ids: readonly string[], selection: string = LOOKUP_SELECTION): string {
  return `{ ${ids.map((id, i) => `t${i}: creditTransaction(id: ${JSON.stringify(id)}) ${selection}`).join(' ')} }`;
}
