/**
 * MAX_FIELDS: a document may write at most 200 fields (each fragment's counted once). The bound
 * keeps graphql-js's own validation cheap: OverlappingFieldsCanBeMerged compares fields pairwise,
 * so 1,998 `__typename`s (MAX_TOKENS was 2,000) cost ~15× a served request to reject. Limits are
 * checked right after parsing, before graphql-js validation runs at all.
 */
import { getIntrospectionQuery } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  // MAX_FIELDS=200 on its own: MAX_DUPLICATE_FIELDS (16 fields on one response key) would refuse
  // these `__typename` runs first (weak-duplicate-field-limit.test.ts covers it with the defaults).
  h = await startHarness({ config: { limits: { ...DEFAULT_LIMITS, maxDuplicateFields: 10_000 } } });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const typenames = (count: number) => `{ ${'__typename '.repeat(count)}}`;

it('rejects 400 a document of as many fields as MAX_TOKENS allows, naming the limit, with no upstream call', async () => {
  const res = await h.graphql(typenames(DEFAULT_LIMITS.maxTokens - 2));
  expect(res.status).toBe(400);
  expect(res.body.errors?.map((e) => e.message)).toEqual(['The document selects more than 200 fields.']);
  expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  expect(typeof res.body.errors?.[0]?.extensions?.requestId).toBe('string');
  expect(h.sandbox.counters.total()).toBe(0);
});

it('serves 200 fields and rejects 201', async () => {
  expect((await h.graphql(typenames(200))).status).toBe(200);
  const over = await h.graphql(typenames(201));
  expect(over.status).toBe(400);
  expect(over.body.errors?.[0]?.message).toBe('The document selects more than 200 fields.');
});

it('counts a fragment once however often it is spread', async () => {
  const fragment = `fragment Wide on Query { ${'__typename '.repeat(150)}}`;
  const spreads = Array.from({ length: 10 }, (_, i) => `q${i}: __schema { queryType { ...T } }`).join(' ');
  const res = await h.graphql(`{ ...Wide ${spreads} } ${fragment} fragment T on __Type { name }`);
  expect(res.status).toBe(200); // 150 + 10 × 2 + 1 = 171 fields written
});

it('serves the full introspection query (73 fields) at the default limits', async () => {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  });
  const res = await h.graphql(query);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
});

it('answers a document over a limit with the limit alone: graphql-js validation never ran on it', async () => {
  // Over MAX_FIELDS and asking for a field that does not exist: only the limit is reported.
  const res = await h.graphql(`{ ${'__typename '.repeat(300)} noSuchField }`);
  expect(res.status).toBe(400);
  expect(res.body.errors?.map((e) => e.message)).toEqual(['The document selects more than 200 fields.']);
});
