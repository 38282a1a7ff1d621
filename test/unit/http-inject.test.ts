/**
 * The HTTP layer in process, through Fastify's `inject` (no socket, no upstream): health and
 * metrics routes, and the GraphQL answers that must come before any resolver or upstream call
 * (parse, validation, limits, bad input). The upstream URL points at a closed port, so an
 * upstream call would show as UPSTREAM_UNAVAILABLE rather than the codes asserted here.
 */
import { createGateway, type Gateway } from '../../src/gateway';
import { testConfig } from '../support/harness';

let gateway: Gateway;

beforeAll(async () => {
  gateway = await createGateway({
    config: testConfig({ wixBaseUrl: 'http://127.0.0.1:1' }),
    credentialSource: { kind: 'server', credentials: { authorization: 'key', accountId: 'account' } },
    collectDefaultMetrics: false,
  });
});
afterAll(() => gateway.close());

const graphql = (query: string, variables?: Record<string, unknown>) =>
  gateway.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });

const codeOf = (body: string): unknown =>
  (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code;

test('GET /healthz answers 200 ok', async () => {
  const res = await gateway.app.inject({ method: 'GET', url: '/healthz' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ status: 'ok' });
});

test('GET /metrics is not served on the public port (it has its own listener)', async () => {
  const res = await gateway.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(404);
});

test('a document that does not parse is a 400 GRAPHQL_PARSE_FAILED', async () => {
  const res = await graphql('{ creditBalance { ');
  expect(res.statusCode).toBe(400);
  expect(codeOf(res.body)).toBe('GRAPHQL_PARSE_FAILED');
});

test('an unknown field is a 400 GRAPHQL_VALIDATION_FAILED', async () => {
  const res = await graphql('{ creditBalance { noSuchField } }');
  expect(res.statusCode).toBe(400);
  expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('a document with more aliases than the limit is a 400 before any resolver runs', async () => {
  const res = await graphql(`{ ${'a: __typename '.repeat(40)} }`);
  expect(res.statusCode).toBe(400);
});

test('a charge with a malformed idempotencyKey is BAD_USER_INPUT naming the field, without an upstream call', async () => {
  const res = await graphql('mutation ($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }', {
    input: { credits: 1, idempotencyKey: 'not-a-guid' },
  });
  expect(codeOf(res.body)).toBe('BAD_USER_INPUT');
  expect(res.body).toContain('idempotencyKey');
});
