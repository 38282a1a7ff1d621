/**
 * examples/web in Chromium, built by Vite and served from another origin than the gateway (CORS,
 * CSRF headers on urql's GET queries), with JWT auth on: it loads the balance, pages the history,
 * charges once; and with the network cut on the first attempt of a charge (the gateway got it and
 * charged, the page got no answer), the retry of the same intent reuses its key and debits once.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page, Request } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness';
import {
  ARTIFACTS_DIR,
  describeWithChromium,
  nonLoopbackRequests,
  openChromium,
  type ChromiumSession,
} from '../support/chromium';
import {
  jwtAuthConfig,
  mintToken,
  signingKey,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from '../support/jwt';
import { startStaticServer, type StaticServer } from '../support/static-server';

const exampleDir = join(__dirname, '..', '..', 'examples', 'web');
const run = promisify(execFile);

/** The example's own build: its typecheck, then `vite build` against this gateway's URL. */
async function buildExample(gatewayUrl: string, outDir: string): Promise<void> {
  if (!existsSync(join(exampleDir, 'node_modules', 'vite'))) {
    throw new Error('examples/web has no node_modules: run `npm ci --prefix examples/web` first (.ci/run does).');
  }
  const bin = (pkg: string, file: string) => join(exampleDir, 'node_modules', pkg, 'bin', file);
  await run(process.execPath, [bin('typescript', 'tsc'), '--noEmit', '-p', exampleDir], { cwd: exampleDir });
  await run(
    process.execPath,
    [bin('vite', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: exampleDir,
      env: { ...process.env, VITE_GATEWAY_URL: gatewayUrl, VITE_GATEWAY_TOKEN: '' },
    },
  );
}

const isGateway = (h: Harness) => (url: URL) => url.origin === new URL(h.url).origin && url.pathname === '/graphql';

describeWithChromium('examples/web against the gateway, cross-origin, in Chromium', () => {
  let h: Harness;
  let jwks: JwksServer;
  let site: StaticServer;
  let browser: ChromiumSession;
  let token: string;
  let issuerKey: SigningKey;
  let outDir: string;
  const chargesWithKey = (key: string) =>
    h.sandbox.transactionsOf(h.sandbox.demo.accountId).filter((tx) => tx.idempotencyKey === key).length;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'credits-gateway-web-'));
    site = await startStaticServer(outDir); // its origin differs from the gateway's (another port)
    issuerKey = await signingKey('web-key');
    jwks = await startJwksServer([issuerKey]);
    token = await mintToken(issuerKey, { scope: 'credits:read credits:charge', sub: 'web-user' });
    h = await startHarness({ config: { auth: jwtAuthConfig(jwks.url), corsOrigins: [site.origin] } });
    h.sandbox.setDeduplication(false); // the upstream would charge a repeated key again: the gateway must not send one
    await buildExample(`${h.url}/graphql`, outDir);
    browser = await openChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await jwks?.close();
    await site?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(site.origin);
    // No token yet: the gateway answers 401, the page asks for one.
    await page.locator('#balance-error').getByText('Sign in').waitFor({ timeout: 30_000 });
    await page.fill('#token', token);
    await page.press('#token', 'Tab'); // change event
    await page.waitForFunction("/^[\\d.]+$/.test(document.getElementById('available').textContent)", undefined, {
      timeout: 30_000,
    });
    await page.locator('#history-rows tr').first().waitFor({ timeout: 30_000 });
  }

  it('loads the balance, pages the history with the Relay cursor, and charges once', async () => {
    const page = await browser.context.newPage();
    const gatewayRequests: Request[] = [];
    page.on('request', (request) => {
      if (isGateway(h)(new URL(request.url()))) gatewayRequests.push(request);
    });
    try {
      await signIn(page);
      const available = Number(await page.textContent('#available'));
      expect(available).toBeGreaterThan(0);
      expect(await page.textContent('#periodic')).toMatch(/^\d+(\.\d+)? of \d+/);
      expect(await page.textContent('#topup')).toMatch(/^\d+(\.\d+)?$/);

      expect(await page.locator('#history-rows tr').count()).toBe(5);
      await page.click('#load-more');
      await page.locator('#history-rows tr').nth(9).waitFor({ timeout: 30_000 });
      const ids = await page.locator('#history-rows td.id').allTextContents();
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);

      await page.fill('#credits', '2.5');
      await page.fill('#description', 'Browser test charge');
      await page.click('#charge-button');
      await page.locator('#outcome[data-typename="CreditsCharged"]').waitFor({ timeout: 30_000 });
      const key = await page.locator('#intent').getAttribute('data-key');
      expect(key).toBe(''); // settled: the next charge gets a new key
      const [charged] = h.sandbox
        .transactionsOf(h.sandbox.demo.accountId)
        .filter((tx) => tx.description === 'Browser test charge');
      expect(charged?.idempotencyKey).toBeTruthy();
      expect(chargesWithKey(String(charged?.idempotencyKey))).toBe(1);
      await page
        .locator('#available')
        .getByText(String(available - 2.5))
        .waitFor({ timeout: 30_000 });
      await page.locator('#history-rows tr').first().getByText('Browser test charge').waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'web-example.png'), fullPage: true });

      // urql's defaults: queries as GET, accepted by CSRF prevention thanks to x-apollo-operation-name.
      const queries = gatewayRequests.filter((r) => r.method() === 'GET');
      expect(queries.length).toBeGreaterThanOrEqual(3);
      for (const request of gatewayRequests.filter((r) => r.method() !== 'OPTIONS')) {
        expect(request.headers()['x-apollo-operation-name']).toMatch(
          /^(BalanceWidget|TransactionHistory|ChargeCredits)$/,
        );
      }
      expect(nonLoopbackRequests(browser.requests)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('retries a charge whose answer was lost with the same key, and the account is debited once', async () => {
    const page = await browser.context.newPage();
    const chargeBodies: string[] = [];
    let cut = false;
    await page.route(isGateway(h), async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('ChargeCredits')) return route.continue();
      chargeBodies.push(body);
      if (cut) return route.continue();
      cut = true;
      await route.fetch(); // the gateway receives the charge and makes it…
      return route.abort('connectionreset'); // …and the page never hears back
    });
    try {
      await signIn(page);
      await page.fill('#credits', '1.25');
      await page.fill('#description', 'Charge with a lost answer');
      await page.click('#charge-button');
      await page.locator('#outcome[data-typename="error"]').waitFor({ timeout: 30_000 });
      const key = String(await page.locator('#intent').getAttribute('data-key'));
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      expect(await page.textContent('#charge-button')).toBe('Retry charge');
      expect(await page.isDisabled('#credits')).toBe(true);
      expect(chargesWithKey(key)).toBe(1); // the cut attempt did charge
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'web-example-answer-lost.png'), fullPage: true });

      await page.click('#charge-button');
      await page.locator('#outcome[data-typename="CreditsCharged"]').waitFor({ timeout: 30_000 });
      await page
        .locator('#history-rows tr')
        .first()
        .getByText('Charge with a lost answer')
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'web-example-retried.png'), fullPage: true });

      expect(chargeBodies).toHaveLength(2);
      for (const body of chargeBodies) expect(body).toContain(key);
      expect(chargesWithKey(key)).toBe(1);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('renders BudgetExceeded for a caller whose daily budget the charge would pass, and charges nothing', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(site.origin);
      const smallBudget = await mintToken(issuerKey, {
        scope: 'credits:read credits:charge',
        sub: 'small-budget-user',
        claims: { credits_budget: '1' },
      });
      await page.fill('#token', smallBudget);
      await page.press('#token', 'Tab');
      await page.fill('#credits', '2.5');
      await page.fill('#description', 'Over the budget');
      await page.click('#charge-button');
      await page.locator('#outcome[data-typename="BudgetExceeded"]').waitFor({ timeout: 30_000 });
      expect(await page.textContent('#outcome-title')).toBe('Daily budget exceeded');
      expect(await page.locator('#intent').getAttribute('data-key')).toBe(''); // definite: the next charge is a new intent
      const charged = h.sandbox.transactionsOf(h.sandbox.demo.accountId);
      expect(charged.some((tx) => tx.description === 'Over the budget')).toBe(false);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'web-example-budget.png'), fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);
});
