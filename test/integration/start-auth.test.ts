/**
 * Start-up rules of caller authentication, through the compiled entry point as deployed:
 * production refusals exit 2 with one line naming the variables; AUTH_DISABLED=true starts with
 * a warning; the development key (`npm run token`) works in development.
 * (`npm test` builds dist/ before jest runs.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { postJson } from '../support/harness';

const root = join(__dirname, '..', '..');
const entry = join(root, 'dist', 'src', 'main.js');
const tokenScript = join(root, 'dist', 'scripts', 'dev-token.js');
const BASE_ENV = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn' };
const SERVER_KEY = {
  WIX_API_KEY: 'k-secret-value',
  WIX_ACCOUNT_ID: '0d3e5a52-7c1b-4f0e-9a26-3b8f4c6d2e10',
  WIX_API_BASE_URL: 'http://127.0.0.1:1',
};

async function refusal(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [entry], { env: { ...BASE_ENV, ...env } });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr, stdout };
}

/** Starts the gateway, runs `body` against its URL, then stops it. */
async function running<T>(
  env: Record<string, string>,
  body: (url: string, output: { stdout: string; stderr: string }) => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, [entry], { env: { ...BASE_ENV, ...env } });
  const output = { stdout: '', stderr: '' };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start-up line within 15 s:\n${output.stdout}${output.stderr}`)),
      15_000,
    );
    // The banner: stderr in development, a JSON log line on stdout in production.
    const read = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      output[stream] += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)\/graphql/.exec(output.stdout + output.stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read('stdout'));
    child.stderr.on('data', read('stderr'));
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output.stdout}${output.stderr}`)));
  });
  try {
    return await body(url, output);
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

describe('start-up with caller authentication', () => {
  beforeAll(() => expect(existsSync(entry)).toBe(true));

  it('refuses production with server-held credentials and no JWT settings (exit 2, naming the variables)', async () => {
    const { code, stderr } = await refusal({ NODE_ENV: 'production', ...SERVER_KEY });
    expect(code).toBe(2);
    expect(stderr).toMatch(/AUTH_JWKS_URL.*AUTH_JWT_PUBLIC_KEY_FILE.*AUTH_ISSUER.*AUTH_AUDIENCE.*AUTH_DISABLED=true/);
    expect(stderr).not.toContain('k-secret-value');
  });

  it('refuses production with neither credentials nor forwarding unless SANDBOX=true', async () => {
    const { code, stderr } = await refusal({ NODE_ENV: 'production' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/SANDBOX: .*WIX_API_KEY.*WIX_AUTH=forward.*SANDBOX=true/);
  });

  it('refuses JWT settings together with WIX_AUTH=forward', async () => {
    const { code, stderr } = await refusal({
      WIX_AUTH: 'forward',
      AUTH_JWKS_URL: 'https://id.example.com/jwks',
      AUTH_ISSUER: 'i',
      AUTH_AUDIENCE: 'a',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/WIX_AUTH: .*ambiguous/);
  });

  it('refuses the development key in production', async () => {
    const env = execFileSync(process.execPath, [tokenScript, '--print-env']).toString().trim();
    const vars = Object.fromEntries(env.split(' ').map((pair) => pair.split('=') as [string, string]));
    const { code, stderr } = await refusal({ NODE_ENV: 'production', ...SERVER_KEY, ...vars });
    expect(code).toBe(2);
    expect(stderr).toMatch(/AUTH_JWT_PUBLIC_KEY_FILE: the development signing key/);
  });

  it('starts in production with AUTH_DISABLED=true, warning that anyone can charge', async () => {
    await running(
      { NODE_ENV: 'production', ...SERVER_KEY, AUTH_DISABLED: 'true', SUBGRAPH_PUBLIC: 'true' },
      async (_url, output) => {
        expect(output.stderr).toMatch(/WARNING: AUTH_DISABLED=true: anyone who can reach this port can .*charge/);
      },
    );
  });

  it('says at start-up that development runs without caller authentication', async () => {
    await running({}, async (_url, output) => {
      expect(output.stderr).toContain('Caller authentication: off (development');
    });
  });

  it('runs JWT mode locally with the development key: npm run token, then a request with it', async () => {
    const env = execFileSync(process.execPath, [tokenScript, '--print-env']).toString().trim();
    const vars = Object.fromEntries(env.split(' ').map((pair) => pair.split('=') as [string, string]));
    const token = execFileSync(process.execPath, [tokenScript, '--scope', 'credits:read']).toString().trim();
    await running(vars, async (url, output) => {
      expect(output.stderr).toContain('Caller authentication: Bearer JWT');
      const query = { query: '{ creditBalance { availableCredits } }' };
      expect((await postJson(`${url}/graphql`, query)).status).toBe(401);
      const ok = await postJson(`${url}/graphql`, query, { authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.raw)).toEqual({ data: { creditBalance: { availableCredits: 290 } } });
    });
  });
});
