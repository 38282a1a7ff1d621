/**
 * The `creditTransactions` filter argument as the domain takes it, with its GUIDs parsed at this
 * edge (guid.ts). A value that is not a GUID names no transaction, caller app or reference: it is
 * the caller's mistake, refused as BAD_USER_INPUT naming the field (`filter.ids`, …) before any
 * upstream call. The argument-limits plugin refuses it first (400, no resolver run); this holds
 * the same line where the schema runs without the plugin.
 */
import type { TransactionFilter } from '../domain/credits';
import { parseGuid, type Guid } from '../domain/guid';
import { notAGuid } from './declared-limits';
import { badUserInput } from './errors';
import type { CreditTransactionFilterInput } from './types/inputs.type';

/** `value` as a GUID, or BAD_USER_INPUT naming `field` (`name`: where in it, e.g. `filter.ids[2]`). */
export function guidArgument(value: string, field: string, name = field): Guid {
  const parsed = parseGuid(value);
  if (parsed === null) throw badUserInput(field, notAGuid(name));
  return parsed;
}

export function toTransactionFilter(
  input: CreditTransactionFilterInput | null | undefined,
): TransactionFilter | undefined {
  if (!input) return undefined;
  const filter: TransactionFilter = {};
  for (const key of ['ids', 'externalRefIds'] as const) {
    const list = input[key];
    if (list == null) continue;
    const field = `filter.${key}`;
    filter[key] = list.map((value, i) => guidArgument(value, field, `${field}[${i}]`));
  }
  if (input.callerAppId != null) filter.callerAppId = guidArgument(input.callerAppId, 'filter.callerAppId');
  if (input.createdAfter != null) filter.createdAfter = input.createdAfter;
  if (input.createdBefore != null) filter.createdBefore = input.createdBefore;
  return filter;
}
