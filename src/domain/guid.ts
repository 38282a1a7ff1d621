/**
 * GUIDs — transaction ids, idempotency keys, external references, app ids — compare
 * case-insensitively: "9D1F…" and "9d1f…" name one thing. They are checked and lower-cased once,
 * where they enter (GraphQL arguments, Wix answers); everything inside (cache keys, loaders,
 * fingerprints, single-flight keys) takes a `Guid` and compares it as it is. This module is the
 * only place that folds their case.
 */

/** A GUID in its one canonical spelling: lower case, 8-4-4-4-12 hex digits. */
export type Guid = string & { readonly __brand: 'Guid' };

/** Any letter case; `parseGuid` gives the canonical spelling. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a client is told when a GUID field holds something else. */
export const GUID_FORMAT_HINT = 'must be a GUID such as 4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';

/** The canonical GUID, or null when `value` is not a GUID in any letter case. */
export function parseGuid(value: string): Guid | null {
  return GUID_PATTERN.test(value) ? (value.toLowerCase() as Guid) : null;
}

/** Like `parseGuid`, for values that must be GUIDs (constants, ids already checked): throws otherwise. */
export function toGuid(value: string): Guid {
  const guid = parseGuid(value);
  if (guid === null) throw new TypeError(`not a GUID: ${JSON.stringify(value.slice(0, 64))}`);
  return guid;
}
