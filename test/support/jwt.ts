/**
 * Test identity provider: signing keys generated in the test, a real JWKS endpoint on loopback
 * (which can rotate keys or go down), and tokens signed with any of the keys.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import type { AuthConfig } from '../../src/auth/auth-config';

export const TEST_ISSUER = 'https://issuer.test/';
export const TEST_AUDIENCE = 'credits-gateway-test';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyLike;
  jwk: JWK;
}

export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface TokenOptions {
  sub?: string | null;
  scope?: string;
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string;
  /** Seconds from now. */
  expiresIn?: number;
  notBefore?: number;
  kid?: string;
}

export async function mintToken(key: SigningKey, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...(options.scope !== undefined ? { scope: options.scope } : {}), ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.iss ?? TEST_ISSUER)
    .setAudience(options.aud ?? TEST_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'user-1');
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(key.privateKey);
}

export interface JwksServer {
  url: string;
  keys: JWK[];
  /** While down, every fetch is answered 503. */
  down: boolean;
  fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  const state = { keys: keys.map((k) => k.jwk), down: false, fetches: 0 };
  const server: Server = createServer((_req, res) => {
    state.fetches++;
    if (state.down) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export function jwtAuthConfig(jwksUrl: string): AuthConfig {
  return {
    kind: 'jwt',
    jwksUrl,
    publicKeyFile: null,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    scopesClaim: null,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
