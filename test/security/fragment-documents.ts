/**
 * Hostile documents for the security suites: fragment chains in which every fragment spreads
 * the next one twice, so a walker that re-walks a fragment at each spread does 2^n work.
 */

/** `levels` fields deep: `__schema { types { fields { type { ofType { … { name } } } } } }` (levels ≥ 6). */
export function deepIntrospection(levels: number): string {
  const fields = ['__schema', 'types', 'fields', 'type', ...Array.from({ length: levels - 5 }, () => 'ofType')];
  return `${fields.join(' { ')} { name${' }'.repeat(fields.length)}`;
}

/** The classic deep introspection query, one level over the default depth limit (15). */
export const DEEP_INTROSPECTION = deepIntrospection(16);

/** `count` fragments on Query, F0 spreading F1 twice, … and the last selecting `leaf`. About 1 KB at 26. */
export function fragmentExplosion(count: number, leaf = DEEP_INTROSPECTION): string {
  const parts = ['query Explode { ...F0 }'];
  for (let i = 0; i < count - 1; i++) parts.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  parts.push(`fragment F${count - 1} on Query { ${leaf} }`);
  return parts.join('\n');
}
