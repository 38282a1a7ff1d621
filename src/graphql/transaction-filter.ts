/**
 * The `creditTransactions` filter argument as the domain takes it, with its GUIDs parsed at this
 * edge (guid.ts). A value that is not a GUID names no transaction, caller app or reference: it is
 * dropped from its list, and a list (or a `callerAppId`) left naming nothing makes the filter
 * match nothing — the same empty answer the upstream gave such a filter, without asking it.
 */
import type { TransactionFilter } from '../domain/credits';
import { parseGuid, type Guid } from '../domain/guid';
import { MATCHES_NOTHING } from '../reader/credits-reader';
import type { CreditTransactionFilterInput } from './types/inputs.type';

function guids(values: readonly string[]): Guid[] {
  return values.map(parseGuid).filter((id): id is Guid => id !== null);
}

export function toTransactionFilter(
  input: CreditTransactionFilterInput | null | undefined,
): TransactionFilter | undefined | typeof MATCHES_NOTHING {
  if (!input) return undefined;
  const filter: TransactionFilter = {};
  for (const field of ['ids', 'externalRefIds'] as const) {
    const list = input[field];
    if (list == null) continue;
    const parsed = guids(list);
    // An empty list the caller sent is passed on as sent; one emptied here named only non-GUIDs.
    if (parsed.length === 0 && list.length > 0) return MATCHES_NOTHING;
    filter[field] = parsed;
  }
  if (input.callerAppId != null) {
    const callerAppId = parseGuid(input.callerAppId);
    if (callerAppId === null) return MATCHES_NOTHING;
    filter.callerAppId = callerAppId;
  }
  if (input.createdAfter != null) filter.createdAfter = input.createdAfter;
  if (input.createdBefore != null) filter.createdBefore = input.createdBefore;
  return filter;
}
