/**
 * From the auth settings to the one thing the server asks: who does this Authorization header
 * name? Keys come from a JWKS endpoint or a PEM file; verified tokens are cached.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthConfig } from './auth-config';
import { AuthFailure } from './auth-failure';
import { JwksKeySource } from './jwks-key-source';
import { bearerToken, JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';

export interface Authenticator {
  /** The caller named by the header; AuthFailure when absent or not valid. */
  authenticate(authorization: string | string[] | undefined): Promise<Principal>;
  /** Whether the header carries a bearer token at all. */
  present(authorization: string | string[] | undefined): boolean;
}

export interface AuthenticatorOptions {
  /** JWKS fetch timings (TIMING_DEFAULTS.jwks, tests shorten them). */
  jwks: { cooldownMs: number; timeoutMs: number; maxAgeMs: number };
  onKeyFetchError?: (error: unknown) => void;
}

export function createAuthenticator(auth: AuthConfig, options: AuthenticatorOptions): Authenticator | null {
  if (auth.kind !== 'jwt') return null;
  let key: ConstructorParameters<typeof JwtVerifier>[0]['key'];
  if (auth.jwksUrl) {
    const source = new JwksKeySource({ url: auth.jwksUrl, ...options.jwks, onError: options.onKeyFetchError });
    void source.refresh(); // warm: the first requests need not wait for it
    key = source.getKey;
  } else {
    key = createPublicKey(readFileSync(auth.publicKeyFile ?? '', 'utf8'));
  }
  const verifier = new JwtVerifier({
    key,
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    scopesClaim: auth.scopesClaim,
  });
  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      if (token === null) throw new AuthFailure('missing');
      return verifier.verify(token);
    },
    present(authorization) {
      const value = Array.isArray(authorization) ? authorization[0] : authorization;
      return value !== undefined && value.trim() !== '';
    },
  };
}
