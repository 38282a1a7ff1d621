/** GraphiQL at /graphiql in a real browser: it loads, runs a query, and asks nothing of any other host. */
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import {
  ARTIFACTS_DIR,
  describeWithChromium,
  nonLoopbackRequests,
  openChromium,
  type ChromiumSession,
} from '../support/chromium';

describeWithChromium('GraphiQL offline explorer in Chromium', () => {
  let h: Harness;
  let browser: ChromiumSession;
  beforeAll(async () => {
    h = await startHarness({ config: { landingPage: true } });
    browser = await openChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('runs a query from /graphiql with every request on loopback, no CDN', async () => {
    const { page, requests } = browser;
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${h.url}/graphiql`);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 30_000 });
    const query =
      'query Balance {\n  creditBalance {\n    availableCredits\n    periodicCredits { balance cap }\n    topUpCredits { balance }\n  }\n}\n';
    // CodeMirror 5 auto-closes brackets while typing: set the editor's text through its API (page context).
    await page.evaluate(
      `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(query)})`,
    );
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('availableCredits').waitFor({ timeout: 30_000 });
    expect(await page.locator('.graphiql-response').textContent()).toContain('"periodicCredits"');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'graphiql.png') });

    expect(requests.some((url) => url.endsWith('/graphql'))).toBe(true);
    expect(nonLoopbackRequests(requests)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it("shows, on /graphql with Apollo's CDN unreachable, a link that opens /graphiql", async () => {
    const page = await browser.context.newPage();
    try {
      await page.route('**/*', (route) =>
        nonLoopbackRequests([route.request().url()]).length > 0
          ? route.abort('internetdisconnected')
          : route.continue(),
      );
      await page.goto(`${h.url}/graphql`);
      const link = page.getByRole('link', { name: '/graphiql' });
      await link.waitFor({ state: 'visible', timeout: 30_000 });
      await page.waitForTimeout(2_500); // the fallback fades in over its first seconds
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'sandbox-offline.png') });
      await link.click();
      await page.locator('.graphiql-query-editor').waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/graphiql');
    } finally {
      await page.close();
    }
  }, 90_000);
});
