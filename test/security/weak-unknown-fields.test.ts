/**
 * Unknown fields within every limit: the document is invalid, so never cached, and graphql-js
 * validated it on every request. Its FieldsOnCorrectTypeRule computed "Did you mean" for every
 * unknown field (Levenshtein over the type's fields) even when schema hints are off and the
 * suggestions were stripped afterwards: 199 unknown fields cost 12–14× a served request; told to
 * hide suggestions and to stop at 10 errors (each costs ~60–90 µs on Apollo's error path), still
 * ~3×. With hints off, the document gate now finds the first unknown field itself, in one walk,
 * and answers with it alone, worded and placed as graphql-js words and places it; other
 * validation errors are still graphql-js's, up to 10.
 */
import { startHarness, type Harness } from '../support/harness';

const unknownFields = (count: number) => `query Q { ${Array.from({ length: count }, (_, i) => `nope${i}`).join(' ')} }`;
const cannotQuery = (field: string) => `Cannot query field "${field}" on type "Query".`;

describe('unknown fields', () => {
  let prod: Harness;
  let dev: Harness;
  beforeAll(async () => {
    [prod, dev] = await Promise.all([
      startHarness({ config: { introspection: false, schemaHints: false } }),
      startHarness({ config: { introspection: true, schemaHints: true } }),
    ]);
  });
  afterAll(() => Promise.all([prod.close(), dev.close()]));
  beforeEach(() => prod.sandbox.counters.reset());

  it('rejects 199 unknown fields 400 with the first of them, no hints, no upstream call', async () => {
    for (const path of ['/graphql', '/subgraph']) {
      const res = await prod.graphql(unknownFields(199), undefined, { path });
      expect(res.status).toBe(400);
      const errors = res.body.errors ?? [];
      expect(errors.map((e) => e.message)).toEqual([cannotQuery('nope0')]);
      expect((errors[0] as { locations?: unknown } | undefined)?.locations).toEqual([{ line: 1, column: 11 }]);
      for (const error of errors) {
        expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
        expect(typeof error.extensions?.requestId).toBe('string');
      }
    }
    expect(prod.sandbox.counters.total()).toBe(0);
  });

  it('answers 199 unknown fields sent again (from the kept verdict) exactly as the first time', async () => {
    const query = `${unknownFields(199)} # again`;
    for (const path of ['/graphql', '/subgraph']) {
      const [first, second, third] = [
        await prod.graphql(query, undefined, { path }),
        await prod.graphql(query, undefined, { path }),
        await prod.graphql(query, undefined, { path }),
      ];
      const answer = (res: typeof first) => ({
        status: res.status,
        errors: res.body.errors?.map((e) => ({
          message: e.message,
          locations: (e as { locations?: unknown }).locations,
          code: e.extensions?.code,
        })),
      });
      expect(answer(second)).toEqual(answer(first));
      expect(answer(third)).toEqual(answer(first));
      expect(first.status).toBe(400);
      expect(first.body.errors).toHaveLength(1);
      expect(second.body.errors?.[0]?.extensions?.requestId).not.toBe(first.body.errors?.[0]?.extensions?.requestId);
    }
    expect(prod.sandbox.counters.total()).toBe(0);
  });

  it('answers a repeated invalid document the same each time', async () => {
    const query = '{ creditBalance { availableCredit } }';
    const [first, second] = [await prod.graphql(query), await prod.graphql(query)];
    expect(second.body.errors?.[0]?.extensions?.requestId).not.toBe(first.body.errors?.[0]?.extensions?.requestId);
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    const strip = (body: typeof first.body) =>
      body.errors?.map((e) => ({
        message: e.message,
        locations: (e as { locations?: unknown }).locations,
        code: e.extensions?.code,
      }));
    expect(strip(second.body)).toEqual(strip(first.body));
    expect(strip(first.body)).toEqual([
      {
        message: 'Cannot query field "availableCredit" on type "CreditBalance".',
        locations: [{ line: 1, column: 19 }],
        code: 'GRAPHQL_VALIDATION_FAILED',
      },
    ]);
    expect(prod.sandbox.counters.total()).toBe(0);
  });

  it('reports an unknown field inside a fragment or a type condition where graphql-js does', async () => {
    const text =
      'mutation M { chargeCredits(input: { credits: 1, idempotencyKey: "k" }) { ...R } } ' +
      'fragment R on ChargeCreditsResult { ... on CreditsCharged { transaction { id nope } } }';
    const res = await prod.graphql(text);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => [e.message, (e as { locations?: unknown }).locations])).toEqual([
      ['Cannot query field "nope" on type "CreditTransaction".', [{ line: 1, column: text.indexOf('nope') + 1 }]],
    ]);
    expect(prod.sandbox.counters.total()).toBe(0);
  });

  it("still reports graphql-js's other validation errors, several of them, when no field is unknown", async () => {
    const res = await prod.graphql(
      '{ creditBalance(x: 1) { availableCredits } b: creditBalance(y: 2) { __typename } }',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.message)).toEqual([
      'Unknown argument "x" on field "Query.creditBalance".',
      'Unknown argument "y" on field "Query.creditBalance".',
    ]);
    expect(prod.sandbox.counters.total()).toBe(0);
  });

  it('reports every unknown field (up to 10) where schema hints are on: graphql-js validates it', async () => {
    const res = await dev.graphql(unknownFields(3));
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.message)).toEqual([0, 1, 2].map((i) => cannotQuery(`nope${i}`)));
  });

  it('keeps the "Did you mean" hint where schema hints are on', async () => {
    const res = await dev.graphql('{ creditBalance { availableCredit } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(
      /^Cannot query field "availableCredit" on type "CreditBalance"\. Did you mean /,
    );
  });
});
