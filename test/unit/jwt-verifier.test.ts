import { importJWK, type KeyLike } from 'jose';
import { AuthFailure } from '../../src/auth/auth-failure';
import { bearerToken, JwtVerifier } from '../../src/auth/jwt-verifier';
import { grantedScopes } from '../../src/auth/scopes';
import { TokenCache } from '../../src/auth/token-cache';
import { mintToken, signingKey, TEST_AUDIENCE, TEST_ISSUER } from '../support/jwt';

describe('JwtVerifier', () => {
  it('returns the subject, scopes and budget claim of a valid token, and caches it until it expires', async () => {
    const key = await signingKey('k', 'EdDSA');
    const publicKey = (await importJWK(key.jwk, 'EdDSA')) as KeyLike;
    let now = Date.now();
    const cache = new TokenCache({ now: () => now });
    const verifier = new JwtVerifier({ key: publicKey, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, cache });
    const token = await mintToken(key, {
      sub: 'alice',
      scope: 'credits:read credits:charge',
      claims: { credits_budget: '12.50' },
      expiresIn: 60,
    });
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ subject: 'alice', budget: '12.5' });
    expect([...principal.scopes]).toEqual(['credits:read', 'credits:charge']);
    expect(cache.size).toBe(1);
    expect(await verifier.verify(token)).toBe(principal); // served from the cache
    now += 61_000;
    expect(cache.get(TokenCache.keyOf(token))).toBeUndefined();
  });

  it('refuses a malformed credits_budget claim', async () => {
    const key = await signingKey('k');
    const verifier = new JwtVerifier({
      key: (await importJWK(key.jwk, 'RS256')) as KeyLike,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    await expect(verifier.verify(await mintToken(key, { claims: { credits_budget: '-3' } }))).rejects.toMatchObject({
      reason: 'claims',
    });
  });
});

describe('scopes from claims', () => {
  it('reads scope (space-separated), scp or permissions arrays, or the configured claim only', () => {
    expect([...grantedScopes({ scope: 'a b' }, null)]).toEqual(['a', 'b']);
    expect([...grantedScopes({ scp: ['a'] }, null)]).toEqual(['a']);
    expect([...grantedScopes({ permissions: ['c'] }, null)]).toEqual(['c']);
    expect([...grantedScopes({ scope: 'a', permissions: ['c'] }, 'permissions')]).toEqual(['c']);
    expect([...grantedScopes({ scope: 42 }, null)]).toEqual([]);
  });
});

describe('bearerToken', () => {
  it('takes the token of a Bearer header, null without one, and refuses other schemes', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeNull();
    expect(() => bearerToken('Basic xyz')).toThrow(AuthFailure);
  });
});
