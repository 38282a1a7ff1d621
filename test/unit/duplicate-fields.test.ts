/**
 * MAX_DUPLICATE_FIELDS counting: fields merged into one response key, through inline fragments,
 * fragment spreads (a fragment counted once per selection set) and same-named parents.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, parse } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { duplicateFieldsError, worstDuplicateFields } from '../../src/graphql/duplicate-fields';

const INTROSPECTION_OPTIONS = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
  'oneOf',
] as const;

const worst = (document: string) => worstDuplicateFields(parse(document)).count;

it('counts same-named fields in one selection set, aliases by their alias', () => {
  expect(worst('{ a b c }')).toBe(1);
  expect(worst('{ a a a b }')).toBe(3);
  expect(worst('{ x: a y: a a }')).toBe(1);
  expect(worst('{ a: b b b }')).toBe(2);
});

it('counts fields brought in by inline fragments into the enclosing selection set', () => {
  expect(worst('{ a ... on Query { a ... { a } } }')).toBe(3);
});

it('counts fields brought in by fragment spreads, nested spreads included, each fragment once per set', () => {
  const fragments = 'fragment A on Query { a ...B } fragment B on Query { a }';
  expect(worst(`{ a ...A } ${fragments}`)).toBe(3);
  // A spread twice into one selection set counts once; B, spread directly and through A, counts
  // twice (the bound adds each fragment's number: it may over-count, never under-count).
  expect(worst(`{ ...A ...B ...A } ${fragments}`)).toBe(3);
  // Fragments without a common name still add up: the bound is per selection set, not per name.
  expect(worst('{ ...A ...B } fragment A on Query { a } fragment B on Query { b }')).toBe(2);
});

it('counts the sub-fields of same-named parents as one merged key', () => {
  // 3 `s` whose sub-selections hold 2 `q` each: 6 `q` answer to the key s.q.
  expect(worst('{ s { q q } s { q q } s { q q } }')).toBe(6);
  expect(worst('{ s { ...Q } s { ...Q } } fragment Q on Query { q q }')).toBe(4);
  // Differently named parents do not merge.
  expect(worst('{ s { q q } t { q q } }')).toBe(2);
  // Deeper: 2 × 2 × 2.
  expect(worst('{ a { b { c c } b { c c } } a { b { c c } b { c c } } }')).toBe(8);
});

it('adds a fragment spread into many selection sets as one number, not field by field', () => {
  const wide = `fragment F on Query { ${Array.from({ length: 150 }, (_, i) => `f${i}`).join(' ')} }`;
  const operations = Array.from({ length: 300 }, (_, i) => `query Q${i} { a${i} ...F }`).join('\n');
  expect(worst(`${operations}\n${wide}`)).toBe(2);
});

it('is linear in the document: a fragment spreading the next one in two places is summarised once', () => {
  const parts = ['{ ...F0 }'];
  for (let i = 0; i < 40; i++) parts.push(`fragment F${i} on Query { x { ...F${i + 1} } y { ...F${i + 1} } }`);
  parts.push('fragment F40 on Query { z }');
  const started = process.hrtime.bigint();
  expect(worst(parts.join('\n'))).toBe(1);
  // Exponential work would take 2^40 steps; a few ms is a linear walk on any machine.
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
});

it('ends on a fragment cycle, the spread closing it counting nothing (NoFragmentCycles reports it)', () => {
  // B, summarised inside A, sees A as empty; B as a definition merges A's two `a` with its own.
  expect(worst('{ ...A } fragment A on Query { a ...B } fragment B on Query { a ...A }')).toBe(3);
});

it('passes the full introspection query and every example operation at the default', () => {
  const dir = join(__dirname, '../../schema/operations');
  const documents = [
    // Every option on: the largest introspection query a client sends.
    getIntrospectionQuery(Object.fromEntries(INTROSPECTION_OPTIONS.map((option) => [option, true]))),
    ...readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8')),
  ];
  for (const document of documents) {
    expect(worstDuplicateFields(parse(document)).count).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDuplicateFields);
  }
  // The introspection query merges `kind`/`name`/`ofType` through its TypeRef chain: 1 per key.
  expect(worst(getIntrospectionQuery())).toBe(1);
});

it('names the count, the limit and the key, pointing at its first field', () => {
  const error = duplicateFieldsError(parse('{ s { q q } s { q q } }'), 3);
  expect(error?.message).toBe(
    'Up to 4 fields merge into one response key (at "q"; same-named fields, fragments and same-named parent fields counted); at most 3 may.',
  );
  expect(error?.locations).toEqual([{ line: 1, column: 7 }]);
  expect(duplicateFieldsError(parse('{ s { q q } s { q q } }'), 4)).toBeNull();
});
