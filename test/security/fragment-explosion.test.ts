/**
 * Fragment explosion: fragments that each spread the next one twice (about 1 KB at 26) must be
 * rejected in linear time. The gateway runs in its own process, started the way `npm start`
 * does, so a gateway that re-walks fragments at every spread fails these tests by timing out
 * (its event loop frozen, /healthz unanswered) instead of freezing the test runner with it.
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { getIntrospectionQuery } from 'graphql';
import { fragmentExplosion } from './fragment-documents';

// Generous: a linear walk takes milliseconds; the exponential one took ~2 minutes at 26 fragments.
const ANSWER_WITHIN_MS = 5_000;

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess(); // embedded sandbox, introspection on: only the depth rule stands in the way
});
afterAll(() => gateway?.kill());

async function post(query: string) {
  const started = performance.now();
  const res = await request(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  const body = (await res.body.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: res.statusCode, body, ms: performance.now() - started };
}

async function healthz() {
  const started = performance.now();
  const res = await request(`${gateway.url}/healthz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  await res.body.text();
  return { status: res.statusCode, ms: performance.now() - started };
}

it('lets the standard introspection query (Apollo Sandbox, codegen) through the default depth limit', async () => {
  const res = await post(getIntrospectionQuery({ inputValueDeprecation: true }));
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
});

describe.each([26, 40])('a document of %i fragments each spreading the next twice', (fragments) => {
  const document = fragmentExplosion(fragments);

  it('is rejected 400 for its depth (introspection fields count) within milliseconds', async () => {
    expect(document.length).toBeLessThan(2_000);
    const res = await post(document);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toBe('Query depth 16 exceeds the maximum of 15.');
    expect(res.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('leaves /healthz answering while ten of them arrive at once', async () => {
    const attacks = Array.from({ length: 10 }, () => post(document));
    const health = await healthz();
    expect(health.status).toBe(200);
    for (const res of await Promise.all(attacks)) expect(res.status).toBe(400);
    expect((await healthz()).status).toBe(200);
  });
});
