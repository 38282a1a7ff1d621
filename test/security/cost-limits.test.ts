/**
 * Cost: an operation selects chargeCredits at most once, and its upstream-bound selections
 * (creditBalance, creditTransaction, creditTransactions pages, _entities) stay within MAX_COST.
 * Both are rejected 400 before any resolver runs, so the sandbox sees no call.
 */
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // default limits: MAX_ALIASES=30, MAX_COST absent → 100
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

const charge = (alias: string, key: string) =>
  `${alias}: chargeCredits(input: { credits: 1, idempotencyKey: "${key}" }) { __typename }`;

/** `count` creditBalance selections with 10 aliases, 10 times over via fragment spreads. */
function balances(count: number): string {
  const aliased = Array.from({ length: 10 }, (_, i) => `b${i}: creditBalance { availableCredits }`).join(' ');
  const tens = Math.floor(count / 10);
  const rest = count % 10;
  const restFragment = Array.from({ length: rest }, (_, i) => `r${i}: creditBalance { availableCredits }`).join(' ');
  // The same fragment spread twice under one parent merges; spreading it from distinct fields keeps both.
  const spreads = Array.from({ length: tens }, (_, i) => `t${i}: __typename ...Ten`).join(' ');
  return `query Costly { ${spreads} ${rest ? '...Rest' : ''} }
fragment Ten on Query { ${aliased} }
${rest ? `fragment Rest on Query { ${restFragment} }` : ''}`;
}

it('rejects 400 a mutation selecting chargeCredits twice (aliases), with no charge sent', async () => {
  const res = await h.graphql(
    `mutation Twice { ${charge('a', '11111111-1111-4111-8111-111111111111')} ${charge('b', '22222222-2222-4222-8222-222222222222')} }`,
  );
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(res.body.errors?.[0]?.message).toMatch(/chargeCredits at most once/);
  expect(h.sandbox.counters.get('charge')).toBe(0);
  expect(h.sandbox.counters.total()).toBe(0);
});

it('rejects 400 a mutation selecting chargeCredits twice through fragments, with no charge sent', async () => {
  const res = await h.graphql(`mutation ViaFragments { ...A ...B }
fragment A on Mutation { ${charge('a', '33333333-3333-4333-8333-333333333333')} }
fragment B on Mutation { ${charge('b', '44444444-4444-4444-8444-444444444444')} }`);
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.message).toMatch(/chargeCredits at most once; this one selects it 2 times/);
  expect(h.sandbox.counters.get('charge')).toBe(0);
});

it('rejects 400 an operation of cost 101, naming the cost and the limit, with no upstream call', async () => {
  const document = balances(101);
  const res = await h.graphql(document);
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(res.body.errors?.map((e) => e.message)).toEqual(['Operation cost 101 exceeds the maximum of 100.']);
  expect(h.sandbox.counters.total()).toBe(0);
});

it('serves an operation of cost 100 and a normal query', async () => {
  const atLimit = await h.graphql(balances(100));
  expect(atLimit.status).toBe(200);
  expect(atLimit.body.errors).toBeUndefined();
  const normal = await h.graphql(
    '{ creditBalance { availableCredits } creditTransactions(first: 5) { edges { node { id } } } }',
  );
  expect(normal.status).toBe(200);
  expect(normal.body.errors).toBeUndefined();
});

it('serves a single chargeCredits', async () => {
  const res = await h.graphql(`mutation Once { ${charge('only', '55555555-5555-4555-8555-555555555555')} }`);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(h.sandbox.counters.get('charge')).toBe(1);
});
