/**
 * MAX_DUPLICATE_FIELDS: at most 16 fields may merge into one response key (same name or alias in
 * a selection set, fields from inline fragments and fragment spreads included, and the sub-fields
 * of same-named parents merged). graphql-js's OverlappingFieldsCanBeMerged compares such fields
 * pairwise, and an invalid document is never cached: 66 `__schema { queryType { name } }` and one
 * unknown field passed every other limit and cost ~10× a served request, every time it was sent.
 * The bound is checked before graphql-js validation, so the limit is the only error reported.
 */
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // default limits: MAX_DUPLICATE_FIELDS=16
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const message = (count: number, key: string) =>
  `Up to ${count} fields merge into one response key (at "${key}"; same-named fields, fragments and same-named parent fields counted); at most 16 may.`;

it('rejects 400 the 66 same-named fields plus an unknown one, with the limit alone and no upstream call', async () => {
  const res = await h.graphql(`query Q { ${'__schema { queryType { name } } '.repeat(66)} nope }`);
  expect(res.status).toBe(400);
  expect(res.body.errors?.map((e) => e.message)).toEqual([message(66, '__schema')]);
  expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  expect(typeof res.body.errors?.[0]?.extensions?.requestId).toBe('string');
  expect(h.sandbox.counters.total()).toBe(0);
});

it('serves 16 fields on one key and rejects 17', async () => {
  expect((await h.graphql(`{ ${'__typename '.repeat(16)}}`)).status).toBe(200);
  const over = await h.graphql(`{ ${'__typename '.repeat(17)}}`);
  expect(over.status).toBe(400);
  expect(over.body.errors?.map((e) => e.message)).toEqual([message(17, '__typename')]);
});

it('counts fields from fragment spreads, inline fragments and same-named parents into one key', async () => {
  // 3 `__schema`, each holding `queryType` three times (directly, inline, through a fragment):
  // 9 `queryType` and 9 `name` merge into one key each — served at 16, rejected at 6 parents.
  const parent = '__schema { queryType { name } ... on __Schema { queryType { name } } ...Q }';
  const fragment = 'fragment Q on __Schema { queryType { name } }';
  const served = await h.graphql(`{ ${`${parent} `.repeat(3)} } ${fragment}`);
  expect(served.status).toBe(200);
  const res = await h.graphql(`{ ${`${parent} `.repeat(6)} } ${fragment}`);
  expect(res.status).toBe(400);
  expect(res.body.errors?.map((e) => e.message)).toEqual([message(18, 'queryType')]);
  expect(h.sandbox.counters.total()).toBe(0);
});
