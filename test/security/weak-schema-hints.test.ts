/**
 * Weak spot: production hid "Did you mean …" only from validation errors; variable coercion
 * errors still spelled out the schema. Now no error carries a hint when hints are off (the
 * production default, `SCHEMA_HINTS`), on /graphql and /subgraph alike, and messages are capped.
 */
import { loadConfig } from '../../src/config';
import { startHarness, type Harness } from '../support/harness';

const KEY = '4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';
const CHARGE = 'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }';
const HISTORY = 'query H($order: SortOrder) { creditTransactions(order: $order) { nodes { id } } }';

const probes: [string, string, Record<string, unknown> | undefined][] = [
  ['a misspelt field', '{ creditBalanc { availableCredits } }', undefined],
  ['a misspelt enum literal', '{ creditTransactions(order: DES) { nodes { id } } }', undefined],
  ['a misspelt input field in a variable', CHARGE, { input: { credit: 1, idempotencyKey: KEY } }],
  ['a misspelt enum value in a variable', HISTORY, { order: 'DES' }],
];

describe('schema hints', () => {
  let prod: Harness;
  let dev: Harness;
  beforeAll(async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      WIX_AUTH: 'forward',
      AUTH_DISABLED: 'true',
      SUBGRAPH_PUBLIC: 'true',
    });
    expect(production.schemaHints).toBe(false);
    [prod, dev] = await Promise.all([
      startHarness({ config: { introspection: true, schemaHints: production.schemaHints } }),
      startHarness({ config: { introspection: true, schemaHints: true } }),
    ]);
  });
  afterAll(() => Promise.all([prod.close(), dev.close()]));

  it.each(probes)('production: %s gets an error without "Did you mean"', async (_name, query, variables) => {
    for (const path of ['/graphql', '/subgraph']) {
      const res = await prod.graphql(query, variables, { path });
      expect(res.status).toBe(400);
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(res.raw).not.toMatch(/did you mean/i);
    }
  });

  it('development keeps the hints (the probes do provoke them)', async () => {
    for (const [, query, variables] of probes) {
      const res = await dev.graphql(query, variables);
      expect(res.raw).toMatch(/did you mean/i);
    }
  });

  it('caps a message that quotes a huge value', async () => {
    const res = await prod.graphql(HISTORY, { order: 'D'.repeat(50_000) });
    expect(res.status).toBe(400);
    for (const error of res.body.errors ?? []) expect(error.message.length).toBeLessThanOrEqual(500);
    expect(res.raw.length).toBeLessThan(2_000);
  });
});
