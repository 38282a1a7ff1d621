/**
 * Weak spot: production served /subgraph (`_entities`, `_service`, inline traces) to anyone when
 * ROUTER_SECRET was unset. Now start-up refuses (exit 2, one line naming ROUTER_SECRET) unless
 * SUBGRAPH_PUBLIC=true, and ftv1 inline traces are only produced for requests carrying the
 * router secret. (`npm test` builds dist/ before jest runs.)
 */
import { spawn } from 'node:child_process';
import { GATEWAY_ENTRY, startGatewayProcess } from '../support/gateway-process';
import { startHarness, type Harness } from '../support/harness';

const ROUTER_SECRET = 'router-secret-for-tests-0123456789';
const PRODUCTION = { NODE_ENV: 'production', SANDBOX: 'true', AUTH_DISABLED: 'true' };
const TRACE = { 'apollo-federation-include-trace': 'ftv1' };

function exitOf(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [GATEWAY_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('/subgraph in production', () => {
  it('refuses to start without ROUTER_SECRET: exit 2, one line naming it', async () => {
    const { code, stderr } = await exitOf(PRODUCTION);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ROUTER_SECRET/);
    expect(lines[0]).toMatch(/SUBGRAPH_PUBLIC=true/);
  });

  it.each([
    ['SUBGRAPH_PUBLIC=true', { SUBGRAPH_PUBLIC: 'true' }],
    ['ROUTER_SECRET', { ROUTER_SECRET }],
  ])('starts with %s', async (_name, extra) => {
    const gateway = await startGatewayProcess({ ...PRODUCTION, ...extra });
    try {
      const res = await fetch(`${gateway.url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await gateway.kill();
    }
  });
});

describe('inline tracing (ftv1)', () => {
  let open: Harness;
  let guarded: Harness;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([startHarness(), startHarness({ config: { routerSecret: ROUTER_SECRET } })]);
  });
  afterAll(() => Promise.all([open.close(), guarded.close()]));

  it('is not produced for a request without the router secret', async () => {
    const res = await open.graphql('{ creditBalance { availableCredits } }', undefined, {
      path: '/subgraph',
      headers: TRACE,
    });
    expect(res.status).toBe(200);
    expect(res.raw).not.toContain('ftv1');
  });

  it('is produced for the router, which carries the secret', async () => {
    const res = await guarded.graphql('{ creditBalance { availableCredits } }', undefined, {
      path: '/subgraph',
      headers: { ...TRACE, 'router-authorization': ROUTER_SECRET },
    });
    expect(res.status).toBe(200);
    expect(res.raw).toContain('ftv1');
  });
});
