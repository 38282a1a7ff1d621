/**
 * Caller authentication against a real JWKS endpoint on loopback, with keys generated here:
 * every rejection is a 401 with a Bearer challenge, code UNAUTHENTICATED, the reason in words,
 * no trace of the token, and no upstream call; rotation and JWKS outages behave.
 */
import { createHmac } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import { startHarness, type Harness } from '../support/harness';
import {
  bearer,
  jwtAuthConfig,
  mintToken,
  signingKey,
  startJwksServer,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type JwksServer,
  type SigningKey,
} from '../support/jwt';

const BALANCE = '{ creditBalance { availableCredits } }';
const ALL_SCOPES = 'credits:read credits:charge';

describe('JWT caller authentication (JWKS)', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let harness: Harness;

  beforeAll(async () => {
    key = await signingKey('key-1');
    jwks = await startJwksServer([key]);
    harness = await startHarness({ config: { auth: jwtAuthConfig(jwks.url), jwks: { cooldownMs: 0 } } });
  });
  afterAll(async () => {
    await harness.close();
    await jwks.close();
  });
  beforeEach(() => {
    jwks.down = false;
    harness.sandbox.counters.reset();
  });

  it('answers a valid token', async () => {
    const res = await harness.graphql(BALANCE, undefined, {
      headers: bearer(await mintToken(key, { scope: ALL_SCOPES })),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { creditBalance: { availableCredits: 290 } } });
  });

  it('accepts a token expired less than the 30 s clock tolerance ago', async () => {
    const res = await harness.graphql(BALANCE, undefined, {
      headers: bearer(await mintToken(key, { scope: ALL_SCOPES, expiresIn: -10 })),
    });
    expect(res.status).toBe(200);
  });

  const hs256 = (): string => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = `${b64({ alg: 'HS256', kid: 'key-1' })}.${b64({ sub: 'u', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now + 300, scope: ALL_SCOPES })}`;
    return `${body}.${createHmac('sha256', 'guessable').update(body).digest('base64url')}`;
  };

  const cases: [string, () => Promise<Record<string, string>>, string, RegExp][] = [
    ['no Authorization header', async () => ({}), 'missing', /Authorization: Bearer/],
    ['another scheme', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), 'malformed', /Bearer/],
    ['a malformed token', async () => bearer('not.a-jwt'), 'malformed', /well-formed/],
    ['an expired token', async () => bearer(await mintToken(key, { expiresIn: -120 })), 'expired', /expired/],
    [
      'a token not valid yet',
      async () => bearer(await mintToken(key, { notBefore: 120 })),
      'not_yet_valid',
      /not valid yet/,
    ],
    ['a wrong issuer', async () => bearer(await mintToken(key, { iss: 'https://evil.test/' })), 'issuer', /issuer/],
    ['a wrong audience', async () => bearer(await mintToken(key, { aud: 'someone-else' })), 'audience', /aud/],
    ['a bad signature', async () => bearer(await mintToken(await signingKey('key-1'))), 'signature', /signature/],
    [
      'an unknown key',
      async () => bearer(await mintToken(await signingKey('key-unknown'))),
      'unknown_key',
      /unknown key/,
    ],
    ['HS256 (a public key used as an HMAC secret)', async () => bearer(hs256()), 'algorithm', /algorithm/],
    [
      'alg none',
      async () =>
        bearer(
          new UnsecuredJWT({ sub: 'u' })
            .setIssuer(TEST_ISSUER)
            .setAudience(TEST_AUDIENCE)
            .setExpirationTime('5m')
            .encode(),
        ),
      'algorithm',
      /algorithm/,
    ],
    ['no sub claim', async () => bearer(await mintToken(key, { sub: null })), 'claims', /sub claim/],
  ];

  it.each(cases)(
    'rejects %s with 401, a Bearer challenge and no upstream call',
    async (_name, headers, reason, message) => {
      const sent = await headers();
      const res = await harness.graphql(BALANCE, undefined, { headers: sent });
      expect(res.status).toBe(401);
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer/);
      if (reason !== 'missing') expect(String(res.headers['www-authenticate'])).toContain('error="invalid_token"');
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
      expect(res.body.errors?.[0]?.message).toMatch(message);
      const token = sent.authorization?.replace(/^\w+ /, '');
      if (token) {
        for (const part of token.split('.').filter((p) => p.length > 8)) expect(res.raw).not.toContain(part);
      }
      expect(harness.sandbox.counters.total()).toBe(0);
    },
  );

  it('rejects mutations without a token too, with no upstream call', async () => {
    const res = await harness.graphql(
      'mutation { chargeCredits(input: { credits: 1, idempotencyKey: "4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b" }) { __typename } }',
    );
    expect(res.status).toBe(401);
    expect(harness.sandbox.counters.total()).toBe(0);
  });

  it('picks up a rotated key (new kid) from the JWKS endpoint', async () => {
    const next = await signingKey('key-2', 'ES256');
    jwks.keys.push(next.jwk);
    const res = await harness.graphql(BALANCE, undefined, {
      headers: bearer(await mintToken(next, { scope: ALL_SCOPES })),
    });
    expect(res.status).toBe(200);
  });

  it('keeps verifying with known keys while the JWKS endpoint is down, and answers 401 for an unknown kid', async () => {
    jwks.down = true;
    const fetchesBefore = jwks.fetches;
    const known = await harness.graphql(BALANCE, undefined, {
      headers: bearer(await mintToken(key, { scope: ALL_SCOPES, sub: 'user-outage' })),
    });
    expect(known.status).toBe(200);
    const unknown = await harness.graphql(BALANCE, undefined, {
      headers: bearer(await mintToken(await signingKey('key-3'), { scope: ALL_SCOPES })),
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'unknown_key' });
    expect(jwks.fetches).toBeGreaterThan(fetchesBefore); // it did try
    expect(harness.sandbox.counters.get('balance')).toBe(1);
  });
});

describe('JWKS refetch cooldown', () => {
  it('refetches on an unknown kid at most once per cooldown', async () => {
    const key = await signingKey('k1');
    const jwks = await startJwksServer([key]);
    const harness = await startHarness({ config: { auth: jwtAuthConfig(jwks.url), jwks: { cooldownMs: 60_000 } } });
    try {
      const ok = await harness.graphql(BALANCE, undefined, {
        headers: bearer(await mintToken(key, { scope: ALL_SCOPES })),
      });
      expect(ok.status).toBe(200);
      const before = jwks.fetches;
      const stranger = await signingKey('forged');
      for (let i = 0; i < 5; i++) {
        const res = await harness.graphql(BALANCE, undefined, {
          headers: bearer(await mintToken(stranger, { kid: `forged-${i}` })),
        });
        expect(res.status).toBe(401);
      }
      expect(jwks.fetches - before).toBeLessThanOrEqual(1);
    } finally {
      await harness.close();
      await jwks.close();
    }
  });
});
