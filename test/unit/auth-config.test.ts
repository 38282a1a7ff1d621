import { ConfigError, loadConfig } from '../../src/config';

const JWT = {
  AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://id.example.com/',
  AUTH_AUDIENCE: 'credits',
};
const SERVER_KEY = { WIX_API_KEY: 'k-secret', WIX_ACCOUNT_ID: 'a' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('caller authentication configuration', () => {
  it('reads JWKS settings, with the algorithm allow-list and scope claim', () => {
    expect(
      loadConfig({ ...SERVER_KEY, ...JWT, AUTH_SCOPES_CLAIM: 'scp', AUTH_ALGORITHMS: 'ES256, EdDSA' }).auth,
    ).toEqual({
      kind: 'jwt',
      jwksUrl: JWT.AUTH_JWKS_URL,
      publicKeyFile: null,
      issuer: JWT.AUTH_ISSUER,
      audience: 'credits',
      scopesClaim: 'scp',
      algorithms: ['ES256', 'EdDSA'],
    });
  });

  it('never allows HS* or none', () => {
    expect(problems({ ...JWT, AUTH_ALGORITHMS: 'HS256' }).some((p) => p.startsWith('AUTH_ALGORITHMS:'))).toBe(true);
    expect(problems({ ...JWT, AUTH_ALGORITHMS: 'none' }).some((p) => p.startsWith('AUTH_ALGORITHMS:'))).toBe(true);
  });

  it('requires issuer and audience, and one key source', () => {
    expect(problems({ AUTH_JWKS_URL: JWT.AUTH_JWKS_URL })).toEqual([
      expect.stringMatching(/^AUTH_ISSUER, AUTH_AUDIENCE:/),
    ]);
    expect(problems({ ...JWT, AUTH_JWT_PUBLIC_KEY_FILE: '/k.pem' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_PUBLIC_KEY_FILE: set AUTH_JWKS_URL or/),
    ]);
    expect(problems({ AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([expect.stringMatching(/^AUTH_JWKS_URL:/)]);
  });

  it('takes http JWKS URLs to loopback only', () => {
    expect(problems({ ...JWT, AUTH_JWKS_URL: 'http://id.example.com/jwks' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: must use https/),
    ]);
    expect(loadConfig({ ...JWT, AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' }).auth.kind).toBe('jwt');
  });

  it('refuses JWT settings with WIX_AUTH=forward as ambiguous', () => {
    expect(problems({ ...JWT, WIX_AUTH: 'forward' })).toEqual([
      expect.stringMatching(/^WIX_AUTH: .*AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE.*ambiguous/),
    ]);
  });

  it('refuses production with server-held credentials and no JWT settings, unless AUTH_DISABLED=true', () => {
    const refused = problems({ NODE_ENV: 'production', ...SERVER_KEY });
    expect(refused).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: NODE_ENV=production .*AUTH_DISABLED=true/)]);
    expect(refused.join()).not.toContain('k-secret');
    expect(loadConfig({ NODE_ENV: 'production', ...SERVER_KEY, AUTH_DISABLED: 'true' }).auth).toEqual({
      kind: 'none',
      reason: 'disabled',
    });
    expect(loadConfig({ NODE_ENV: 'production', ...SERVER_KEY, ...JWT }).auth.kind).toBe('jwt');
    expect(problems({ ...JWT, AUTH_DISABLED: 'true' })).toEqual([expect.stringMatching(/^AUTH_DISABLED:/)]);
  });

  it('refuses production with neither credentials nor forwarding unless SANDBOX=true', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SANDBOX: /)]);
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true' }).upstream.kind).toBe('sandbox');
    expect(loadConfig({ NODE_ENV: 'production', WIX_AUTH: 'forward' }).auth).toEqual({
      kind: 'none',
      reason: 'forward',
    });
  });

  it('keeps development as it was: sandbox, no caller authentication', () => {
    expect(loadConfig({}).auth).toEqual({ kind: 'none', reason: 'sandbox' });
    expect(loadConfig(SERVER_KEY).auth).toEqual({ kind: 'none', reason: 'development' });
  });
});
