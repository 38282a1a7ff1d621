import { ConfigError, loadConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('defaults to the embedded sandbox on 127.0.0.1:4000 in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      production: false,
      upstream: { kind: 'sandbox' },
      introspection: true,
      landingPage: true,
    });
  });

  it('uses server-held credentials when WIX_API_KEY and WIX_ACCOUNT_ID are set', () => {
    expect(loadConfig({ WIX_API_KEY: 'k', WIX_ACCOUNT_ID: 'a' }).upstream).toEqual({
      kind: 'server-key',
      apiKey: 'k',
      accountId: 'a',
      siteId: undefined,
    });
  });

  it("forwards callers' credentials with WIX_AUTH=forward", () => {
    expect(loadConfig({ WIX_AUTH: 'forward' }).upstream).toEqual({ kind: 'forward' });
  });

  it('turns introspection and the landing page off in production, each overridable', () => {
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true' })).toMatchObject({
      introspection: false,
      landingPage: false,
      production: true,
    });
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true', INTROSPECTION: 'true' })).toMatchObject({
      introspection: true,
      landingPage: false,
    });
  });

  it('stops with one message per bad value, naming the variable and never echoing a key', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', WIX_API_KEY: 'super-secret-key', WIX_API_BASE_URL: 'ftp://x', WIX_AUTH: 'sometimes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('WIX_API_BASE_URL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('WIX_AUTH:'))).toBe(true);
    expect(message).not.toContain('super-secret-key');
  });

  it('takes CURSOR_SECRET of at least 32 characters, refuses a shorter one without echoing it, and leaves it null when unset', () => {
    expect(loadConfig({}).cursorSecret).toBeNull();
    const secret = 'a-cursor-secret-of-thirty-two-chars!';
    expect(loadConfig({ CURSOR_SECRET: secret }).cursorSecret).toBe(secret);
    let error: unknown;
    try {
      loadConfig({ CURSOR_SECRET: 'too-short-secret' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual(['CURSOR_SECRET: must be at least 32 characters']);
    expect((error as ConfigError).message).not.toContain('too-short-secret');
  });

  it('asks for an account id when only an API key is set', () => {
    expect(() => loadConfig({ WIX_API_KEY: 'k' })).toThrow(/WIX_ACCOUNT_ID: WIX_API_KEY needs WIX_ACCOUNT_ID/);
  });

  it('rejects an account id and a site id together', () => {
    expect(() => loadConfig({ WIX_API_KEY: 'k', WIX_ACCOUNT_ID: 'a', WIX_SITE_ID: 's' })).toThrow(/WIX_SITE_ID/);
  });

  it('rejects a REQUEST_DEADLINE_MS shorter than one upstream attempt (WIX_ATTEMPT_TIMEOUT_MS)', () => {
    expect(() => loadConfig({ REQUEST_DEADLINE_MS: '2000', WIX_ATTEMPT_TIMEOUT_MS: '3000' })).toThrow(
      /REQUEST_DEADLINE_MS: must be at least WIX_ATTEMPT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ REQUEST_DEADLINE_MS: '2000' })).toThrow(/REQUEST_DEADLINE_MS/); // against the 3 s default
    expect(loadConfig({ REQUEST_DEADLINE_MS: '3000', WIX_ATTEMPT_TIMEOUT_MS: '3000' }).requestDeadlineMs).toBe(3000);
  });

  it('rejects a plain-http WIX_API_BASE_URL unless the host is loopback, where the API key never leaves the machine', () => {
    for (const url of ['http://www.wixapis.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com']) {
      expect(() => loadConfig({ WIX_API_BASE_URL: url })).toThrow(/WIX_API_BASE_URL: must use https/);
    }
    for (const url of [
      'https://www.wixapis.com',
      'http://127.0.0.1:4010',
      'http://localhost:4010',
      'http://[::1]:4010',
    ]) {
      expect(loadConfig({ WIX_API_BASE_URL: url }).wixBaseUrl).toBe(url);
    }
  });

  it('takes REDIS_URL for the shared transaction cache, and only a redis:// or rediss:// URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('reads CHARGE_SETTLE_MS (default 5000, a positive integer up to 120000)', () => {
    expect(loadConfig({}).chargeSettleMs).toBe(5_000);
    expect(loadConfig({ CHARGE_SETTLE_MS: '250' }).chargeSettleMs).toBe(250);
    for (const bad of ['0', '-1', '1.5', '120001', 'soon']) {
      expect(() => loadConfig({ CHARGE_SETTLE_MS: bad })).toThrow(/CHARGE_SETTLE_MS/);
    }
  });
});
