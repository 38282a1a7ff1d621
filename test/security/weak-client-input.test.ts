/**
 * Weak spot: hostile client input must never become INTERNAL_SERVER_ERROR, an error-level log
 * line, a stack in the logs, or an echo of huge input. Each case is a precise 4xx or
 * BAD_USER_INPUT, logged at most at info, with every log line and the response bounded.
 */
import { postJson, type Harness } from '../support/harness';
import { startLoggedHarness, LEVEL, type LogCapture } from './log-capture';

const CHARGE = 'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }';
const ENTITIES = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on CreditTransaction { id } } }';
const KEY = '4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';

/** A charge request whose metadata is nested `depth` objects deep, written as text (JSON.stringify would overflow). */
function deepMetadataBody(depth: number): string {
  const metadata = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"query":${JSON.stringify(CHARGE)},"variables":{"input":{"credits":1,"idempotencyKey":"${KEY}","metadata":${metadata}}}}`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await postJson(url, body, headers);
  return { ...res, body: JSON.parse(res.raw) as { errors?: { extensions?: Record<string, unknown> }[] } };
}

describe('client input never yields a server error', () => {
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    ({ h, logs } = await startLoggedHarness());
  });
  afterAll(() => h.close());

  const cases: [
    string,
    () => Promise<{ status: number; raw: string; body: { errors?: { extensions?: Record<string, unknown> }[] } }>,
  ][] = [
    ['metadata nested thousands deep', () => post(`${h.url}/graphql`, deepMetadataBody(10_000))],
    [
      'an _entities id that is an object',
      () => h.graphql(ENTITIES, { r: [{ __typename: 'CreditTransaction', id: { $gt: '' } }] }, { path: '/subgraph' }),
    ],
    [
      'an _entities representation of an unknown __typename',
      () => h.graphql(ENTITIES, { r: [{ __typename: 'Nope', id: 'x' }] }, { path: '/subgraph' }),
    ],
    [
      'an _entities representation without __typename',
      () => h.graphql(ENTITIES, { r: [{ id: 'x' }] }, { path: '/subgraph' }),
    ],
    [
      'an APQ hash that does not match the query',
      () =>
        post(`${h.url}/graphql`, {
          query: '{ creditBalance { availableCredits } }',
          extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
        }),
    ],
    [
      'a 60 KB invalid variable',
      () => h.graphql('query T($id: ID!) { creditTransaction(id: $id) { id } }', { id: { x: 'y'.repeat(60_000) } }),
    ],
    [
      'a 60 KB creditTransaction id that is not a GUID',
      () => h.graphql('query T($id: ID!) { creditTransaction(id: $id) { id } }', { id: 'y'.repeat(60_000) }),
    ],
    [
      'a 60 KB filter callerAppId that is not a GUID',
      () =>
        h.graphql('query T($f: CreditTransactionFilter) { creditTransactions(filter: $f) { nodes { id } } }', {
          f: { callerAppId: 'y'.repeat(60_000) },
        }),
    ],
    [
      'a 60 KB invalid input field',
      () => h.graphql(CHARGE, { input: { credits: 1, idempotencyKey: KEY, ['z'.repeat(60_000)]: 1 } }),
    ],
  ];

  it.each(cases)(
    '%s: a precise 4xx or BAD_USER_INPUT, bounded, logged at most at info without a stack',
    async (_name, send) => {
      const before = logs.raw().length;
      h.sandbox.counters.reset();
      const res = await send();
      expect(res.status).toBeLessThan(500);
      const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      expect(res.status >= 400 || codes.every((c) => c === 'BAD_USER_INPUT')).toBe(true);
      expect(res.raw.length).toBeLessThan(4_096);
      expect(h.sandbox.counters.total()).toBe(0);

      const lines = logs.raw().slice(before);
      for (const line of lines) expect(line.length).toBeLessThan(4_096);
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries.filter((e) => (e.level as number) >= LEVEL.warn)).toEqual([]);
      expect(lines.some((l) => /"stack"|\n\s+at /.test(l))).toBe(false);
    },
  );
});

describe('ids that are not GUIDs', () => {
  let h: Harness;
  beforeAll(async () => {
    ({ h } = await startLoggedHarness());
  });
  afterAll(() => h.close());

  // Unlike creditTransaction(id:), which refuses it: federation answers an entity the subgraph cannot resolve null.
  it('an _entities id that is not a GUID resolves to null, beside a real one in upper case, in one upstream call', async () => {
    const real = h.sandbox.transactionsOf(h.sandbox.demo.accountId)[0]!.id;
    h.sandbox.counters.reset();
    const res = await h.graphql(
      ENTITIES,
      {
        r: [
          { __typename: 'CreditTransaction', id: 'not-a-guid' },
          { __typename: 'CreditTransaction', id: real.toUpperCase() },
        ],
      },
      { path: '/subgraph' },
    );
    expect(res.body).toEqual({ data: { _entities: [null, { id: real }] } });
    expect(h.sandbox.counters.total()).toBe(1);
  });
});
