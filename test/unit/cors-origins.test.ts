/** CORS_ORIGINS is checked at start-up: an entry a browser's Origin could never equal stops start-up. */
import { isOriginAllowed, parseCorsOrigins } from '../../src/http/cors-origins';
import { ConfigError, loadConfig } from '../../src/config';

const problemsOf = (raw: string, allowAny = false): string[] => {
  const result = parseCorsOrigins(raw, allowAny);
  if (result.ok) throw new Error(`expected ${raw} to be refused`);
  return result.problems;
};

describe('CORS_ORIGINS validation', () => {
  it('accepts scheme://host[:port] origins and normalizes them as browsers send them', () => {
    expect(
      parseCorsOrigins(
        'http://localhost:5173, https://App.Example.com, https://a.example:443, http://[::1]:8080',
        false,
      ),
    ).toEqual({
      ok: true,
      origins: ['http://localhost:5173', 'https://app.example.com', 'https://a.example', 'http://[::1]:8080'],
    });
  });

  it('means no browser origin when unset or empty', () => {
    expect(parseCorsOrigins(undefined, false)).toEqual({ ok: true, origins: [] });
    expect(parseCorsOrigins(' , ', false)).toEqual({ ok: true, origins: [] });
  });

  it('refuses an origin without a scheme, suggesting the fix', () => {
    expect(problemsOf('localhost:5173')).toEqual([
      expect.stringMatching(/"localhost:5173" is not an origin.*write http:\/\/localhost:5173/),
    ]);
  });

  it('refuses a trailing slash with a line naming the origin to write', () => {
    expect(problemsOf('http://localhost:5173/')).toEqual([
      expect.stringMatching(/ends with a slash.*write http:\/\/localhost:5173$/),
    ]);
  });

  it('refuses a path, a query, user info, a wildcard host and other schemes', () => {
    for (const entry of [
      'https://a.example/app',
      'https://a.example?x=1',
      'https://user@a.example',
      'https://*.example.com',
      'ftp://a.example',
      'null',
    ]) {
      expect(problemsOf(entry)).toHaveLength(1);
    }
  });

  it('refuses "*" unless CORS_ALLOW_ANY=true confirms it', () => {
    expect(problemsOf('*')[0]).toMatch(/CORS_ALLOW_ANY=true/);
    expect(parseCorsOrigins('*', true)).toEqual({ ok: true, origins: 'any' });
    expect(problemsOf('*, https://a.example', true)[0]).toMatch(/not both/);
  });

  it('matches the Origin header exactly', () => {
    expect(isOriginAllowed(['http://localhost:5173'], 'http://localhost:5173')).toBe(true);
    expect(isOriginAllowed(['http://localhost:5173'], 'http://localhost:5174')).toBe(false);
    expect(isOriginAllowed(['http://localhost:5173'], undefined)).toBe(false);
    expect(isOriginAllowed('any', 'https://anything.example')).toBe(true);
  });
});

describe('CORS_ORIGINS in the configuration', () => {
  it('stops start-up with one line per bad entry, naming CORS_ORIGINS', () => {
    let error: unknown;
    try {
      loadConfig({ CORS_ORIGINS: 'localhost:5173,http://ok.example,https://b.example/' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.startsWith('CORS_ORIGINS: ') && !p.includes('\n'))).toBe(true);
  });

  it('holds the normalized origins, or "any" with CORS_ALLOW_ANY=true', () => {
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:5173' }).corsOrigins).toEqual(['http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*', CORS_ALLOW_ANY: 'true' }).corsOrigins).toBe('any');
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: "\*"/);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});
