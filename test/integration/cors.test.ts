/**
 * Browsers on another origin: preflights answered properly (204 allowed, 403 refused, 400
 * malformed, never a 404), the headers Apollo's CSRF prevention asks for allowed, GET queries
 * as urql sends them by default working, and simple (non-preflighted) requests still refused.
 */
import { request } from 'undici';
import { startHarness, type Harness } from '../support/harness';

const APP = 'http://localhost:5173';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { corsOrigins: [APP] } });
});
afterAll(() => h.close());

async function preflight(url: string, headers: Record<string, string>) {
  const res = await request(url, { method: 'OPTIONS', headers });
  await res.body.dump();
  return res;
}

describe('CORS preflight', () => {
  it('answers 204 for an allowed origin with the methods and headers a GraphQL client sends', async () => {
    const res = await preflight(`${h.url}/graphql`, {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization,x-apollo-operation-name,traceparent',
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/GET.*POST/);
    const allowed = String(res.headers['access-control-allow-headers']).split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining([
        'content-type',
        'authorization',
        'x-apollo-operation-name',
        'apollo-require-preflight',
        'traceparent',
      ]),
    );
  });

  it('answers 403, not 404, for an origin that is not allowed, without an allow-origin header', async () => {
    const res = await preflight(`${h.url}/graphql`, {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 400 for an OPTIONS request that is not a well-formed preflight', async () => {
    expect((await preflight(`${h.url}/graphql`, { origin: APP })).statusCode).toBe(400);
    expect((await preflight(`${h.url}/graphql`, { 'access-control-request-method': 'POST' })).statusCode).toBe(400);
  });

  it('refuses every cross-origin preflight with 403 when CORS_ORIGINS is unset', async () => {
    const closed = await startHarness();
    try {
      const res = await preflight(`${closed.url}/graphql`, { origin: APP, 'access-control-request-method': 'POST' });
      expect(res.statusCode).toBe(403);
    } finally {
      await closed.close();
    }
  });
});

describe('cross-origin requests', () => {
  const query = encodeURIComponent('query Balance { creditBalance { availableCredits } }');

  it('runs a GET query sent as urql does by default, with x-apollo-operation-name, and exposes x-request-id', async () => {
    const res = await request(`${h.url}/graphql?query=${query}&operationName=Balance`, {
      headers: {
        origin: APP,
        accept: 'application/graphql-response+json, application/json',
        'x-apollo-operation-name': 'Balance',
      },
    });
    const body = (await res.body.json()) as { data?: { creditBalance: { availableCredits: number } } };
    expect(res.statusCode).toBe(200);
    expect(body.data?.creditBalance.availableCredits).toEqual(expect.any(Number));
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(String(res.headers['access-control-expose-headers'])).toMatch(/x-request-id/);
    expect(String(res.headers['access-control-expose-headers'])).toMatch(/www-authenticate/);
  });

  it('still refuses a simple GET request (no preflight header) by CSRF prevention, without calling upstream', async () => {
    h.sandbox.counters.reset();
    const res = await request(`${h.url}/graphql?query=${query}`, { headers: { origin: APP } });
    const text = await res.body.text();
    expect(res.statusCode).toBe(400);
    expect(text).toMatch(/CSRF/);
    expect(h.sandbox.counters.total()).toBe(0);
  });

  it('still refuses a simple text/plain POST by CSRF prevention', async () => {
    const res = await request(`${h.url}/graphql`, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ creditBalance { availableCredits } }' }),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(400);
  });
});

describe('CORS_ALLOW_ANY', () => {
  it('allows any origin with "*" once confirmed', async () => {
    const open = await startHarness({ config: { corsOrigins: 'any' } });
    try {
      const res = await preflight(`${open.url}/graphql`, {
        origin: 'https://any.example',
        'access-control-request-method': 'POST',
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await open.close();
    }
  });
});
