/**
 * `npm start` as a new user runs it: the compiled entry point with no configuration starts the
 * embedded sandbox and the gateway, answers a balance query, and stops cleanly on SIGTERM.
 * (`npm test` builds dist/ before jest runs.)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { GATEWAY_ENTRY, waitForUrl } from '../support/gateway-process';
import { accountHeaders, postJson } from '../support/harness';

const entry = GATEWAY_ENTRY;

// Starting a Node process takes seconds on a saturated machine: room beyond the start-up wait.
jest.setTimeout(120_000);

describe('npm start', () => {
  it('starts on the embedded sandbox with no configuration, answers availableCredits, and exits 0 on SIGTERM', async () => {
    expect(existsSync(entry)).toBe(true); // fail loudly when the build step did not run
    const env = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, [entry], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await waitForUrl(child);
      const res = await postJson(`${url}/graphql`, { query: '{ creditBalance { availableCredits } }' });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.raw)).toEqual({ data: { creditBalance: { availableCredits: 290 } } });
      // The banner is on stderr: stdout stays one JSON log stream.
      expect(stderr).toContain('embedded sandbox upstream');
      expect(stderr).toContain('curl');
      for (const line of stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      await expect(exited).resolves.toBe(0);
    }
  });

  describe('against a Wix-compatible upstream', () => {
    let upstream: Sandbox;
    beforeAll(async () => {
      upstream = await startSandbox({ historySize: 0 });
    });
    afterAll(() => upstream.close());

    async function startWith(env: Record<string, string>, headers: Record<string, string> = {}) {
      const child = spawn(process.execPath, [entry], {
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'warn',
          WIX_API_BASE_URL: upstream.url,
          ...env,
        },
      });
      let stdout = ''; // the banner: stderr
      child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      try {
        const url = await waitForUrl(child);
        upstream.counters.reset();
        const res = await postJson(`${url}/graphql`, { query: '{ creditBalance { availableCredits } }' }, headers);
        return { res, stdout, balanceCalls: upstream.counters.get('balance') };
      } finally {
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        await exited;
      }
    }

    it('with WIX_API_KEY and WIX_ACCOUNT_ID calls the configured upstream with the server-held key, and starts no sandbox', async () => {
      const { res, stdout, balanceCalls } = await startWith({
        WIX_API_KEY: upstream.demo.apiKey,
        WIX_ACCOUNT_ID: upstream.demo.accountId,
      });
      expect(JSON.parse(res.raw)).toEqual({ data: { creditBalance: { availableCredits: 290 } } });
      expect(balanceCalls).toBe(1);
      expect(stdout).toContain('server-held API key');
      expect(stdout).not.toContain('embedded sandbox');
    });

    it("with WIX_AUTH=forward sends each caller's own credentials upstream", async () => {
      const account = upstream.createAccount({ periodic: 7, topUp: 3 });
      const { res, stdout } = await startWith({ WIX_AUTH: 'forward' }, accountHeaders(account));
      expect(JSON.parse(res.raw)).toEqual({ data: { creditBalance: { availableCredits: 10 } } });
      expect(stdout).toContain("caller's own credentials");
    });
  });

  it('refuses to start with a bad configuration value, naming it', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? '', PORT: 'not-a-port', WIX_API_KEY: 'k-secret' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
    expect(stderr).not.toContain('k-secret');
  });
});
