/** The HTTP surface: health, metrics, limits, CSRF prevention and production settings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { request } from 'undici';
import { DEFAULT_LIMITS } from '../../src/config';
import { postJson, startHarness, type Harness } from '../support/harness';
import { LOAD_HEADROOM_MS, timed } from '../support/time';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      metricsPort: 0,
      limits: { ...DEFAULT_LIMITS, maxDepth: 5, maxAliases: 5, maxTokens: 300, maxBodyBytes: 4 * 1024, maxCost: 100 },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.counters.reset());

describe('HTTP server', () => {
  it('answers /healthz, and /readyz while the upstream answers', async () => {
    const health = await request(`${h.url}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
    const ready = await request(`${h.url}/readyz`);
    expect(ready.statusCode).toBe(200);
    await ready.body.dump();
  });

  it('answers /readyz 503 while the upstream fails', async () => {
    const fresh = await startHarness(); // its own readiness cache, never probed yet
    try {
      fresh.sandbox.faults.add({ routes: ['balance'], kind: 'status503' });
      const notReady = await request(`${fresh.url}/readyz`);
      expect(notReady.statusCode).toBe(503);
      await notReady.body.dump();
    } finally {
      await fresh.close();
    }
  });

  it('answers 10 concurrent /readyz probes and 10 more within 5 s with one upstream balance call', async () => {
    const fresh = await startHarness();
    try {
      const probe = async () => {
        const res = await request(`${fresh.url}/readyz`);
        await res.body.dump();
        return res.statusCode;
      };
      const { ms } = await timed(async () => {
        expect(await Promise.all(Array.from({ length: 10 }, probe))).toEqual(Array(10).fill(200));
        expect(await Promise.all(Array.from({ length: 10 }, probe))).toEqual(Array(10).fill(200));
      });
      expect(ms).toBeLessThan(5_000 + LOAD_HEADROOM_MS);
      expect(fresh.sandbox.counters.get('balance')).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('exposes Prometheus metrics', async () => {
    await h.graphql('{ creditBalance { availableCredits } }');
    const res = await request(h.gateway.metricsUrl!);
    const text = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(text).toContain('gateway_http_request_duration_seconds_bucket');
  });

  it('rejects a document deeper than the limit with 400 before any resolver runs', async () => {
    const res = await h.graphql('{ creditTransactions { edges { node { amount { cost { amount } } } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/depth 6 exceeds the maximum of 5/);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('counts depth through fragments', async () => {
    const res = await h.graphql(
      '{ creditTransactions { ...C } } fragment C on CreditTransactionConnection { edges { node { amount { cost { amount } } } } }',
    );
    expect(res.status).toBe(400);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('rejects more aliases than allowed with 400', async () => {
    const res = await h.graphql(
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: creditBalance { availableCredits }`).join(' ')} }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/more than 5 aliases/);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('rejects a document with too many tokens with 400', async () => {
    const res = await h.graphql(`{ creditBalance { ${Array.from({ length: 400 }, () => 'a').join(' ')} } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/more that 300 tokens/);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await postJson(`${h.url}/graphql`, {
      query: '{ creditBalance { availableCredits } }',
      variables: { pad: 'x'.repeat(5000) },
    });
    expect(res.status).toBe(413);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('blocks a CSRF-able request (GET without a preflight header, or a simple content type)', async () => {
    const get = await request(`${h.url}/graphql?query=${encodeURIComponent('{ creditBalance { availableCredits } }')}`);
    expect(get.statusCode).toBe(400);
    await get.body.dump();
    const form = await postJson(`${h.url}/graphql`, 'query={creditBalance{availableCredits}}', {
      'content-type': 'text/plain',
    });
    expect(form.status).toBe(400);
    expect(h.sandbox.counters.total()).toBe(0);
    const allowed = await request(
      `${h.url}/graphql?query=${encodeURIComponent('{ creditBalance { availableCredits } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(allowed.statusCode).toBe(200);
    await allowed.body.dump();
  });

  it("puts our own request id, also sent in the x-request-id header, on errors (not the caller's)", async () => {
    const res = await h.graphql('{ creditTransactions(first: 500) { nodes { id } } }', undefined, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.body.errors?.[0]?.extensions?.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['x-request-id']).not.toBe('abc-123');
  });

  it.each([
    ['spaces and quotes', 'abc "def" ghi'],
    ['a JSON fragment', '{"admin":true}'],
    ['over 128 characters', 'x'.repeat(129)],
  ])('replaces an x-request-id with %s by a generated UUID', async (_name, given) => {
    const res = await h.graphql('{ creditTransactions(first: 500) { nodes { id } } }', undefined, {
      headers: { 'x-request-id': given },
    });
    const requestId = res.body.errors?.[0]?.extensions?.requestId;
    expect(requestId).not.toBe(given);
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('counts the errors sent to clients by code in gateway_graphql_errors_total', async () => {
    const res = await h.graphql('{ creditTransactions(first: 500) { nodes { id } } }');
    expect(res.status).toBe(400);
    const text = await (await request(h.gateway.metricsUrl!)).body.text();
    expect(text).toMatch(/^gateway_graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]\d*$/m);
  });
});

describe('production settings', () => {
  let prod: Harness;
  beforeAll(async () => {
    prod = await startHarness({ config: { introspection: false, landingPage: false } });
  });
  afterAll(() => prod.close());

  it('turns introspection off and hides "did you mean" suggestions', async () => {
    const intro = await prod.graphql('{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    const typo = await prod.graphql('{ creditBalanc { availableCredits } }');
    expect(typo.status).toBe(400);
    expect(typo.raw).not.toMatch(/did you mean/i);
  });

  it('serves no landing page', async () => {
    const res = await request(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await res.body.text();
    expect(body).not.toMatch(/<html/i);
  });
});

describe('development settings', () => {
  let dev: Harness;
  beforeAll(async () => {
    dev = await startHarness({ config: { introspection: true, landingPage: true } });
  });
  afterAll(() => dev.close());

  it('serves the Apollo Sandbox landing page and introspection', async () => {
    const res = await request(`${dev.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toMatch(/<html/i);
    const intro = await dev.graphql('{ __type(name: "CreditTransaction") { name } }');
    expect(intro.body.data).toEqual({ __type: { name: 'CreditTransaction' } });
  });
});

describe('client SDL', () => {
  // Default limits: introspection fields count toward depth, and the standard introspection query is 15 deep.
  let defaults: Harness;
  beforeAll(async () => {
    defaults = await startHarness();
  });
  afterAll(() => defaults.close());

  it('schema/api.graphql is what /graphql serves (introspected)', async () => {
    const res = await defaults.graphql<IntrospectionQuery, Record<string, never>>(
      getIntrospectionQuery({ specifiedByUrl: true, descriptions: true }),
    );
    expect(res.status).toBe(200);
    const served = `${printSchema(buildClientSchema(res.body.data as IntrospectionQuery))}\n`;
    expect(served).toBe(readFileSync(join(__dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'));
  });
});
