/** The development explorers: GraphiQL served offline at /graphiql, Sandbox on /graphql pointing to it. */
import { request } from 'undici';
import { startHarness, type Harness } from '../support/harness';

describe('explorers in development (landing page on)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { landingPage: true } });
  });
  afterAll(() => h.close());

  it('serves GraphiQL at /graphiql whose every script and style comes from the gateway', async () => {
    const res = await request(`${h.url}/graphiql`);
    const html = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      '/graphiql/graphiql.min.css',
      '/graphiql/react.production.min.js',
      '/graphiql/react-dom.production.min.js',
      '/graphiql/graphiql.min.js',
      '/graphiql/start.js',
    ]);
    for (const path of assets) {
      const asset = await request(`${h.url}${path}`);
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toMatch(path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await asset.body.text()).length).toBeGreaterThan(100);
    }
  });

  it('answers 404 for an unknown GraphiQL asset', async () => {
    const res = await request(`${h.url}/graphiql/..%2Fpackage.json`);
    expect(res.statusCode).toBe(404);
    await res.body.dump();
  });

  it('keeps Apollo Sandbox on /graphql, its offline fallback pointing to /graphiql', async () => {
    const res = await request(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(html).toContain('embeddable-sandbox');
    expect(html).toMatch(
      /might be offline\.<\/p>\s*<p>The offline explorer, GraphiQL, is served by this gateway: <a href="\.\/graphiql">/,
    );
  });
});

describe('explorers in production (landing page off)', () => {
  it('serves no /graphiql', async () => {
    const h = await startHarness({ config: { landingPage: false } });
    try {
      const res = await request(`${h.url}/graphiql`);
      expect(res.statusCode).toBe(404);
      await res.body.dump();
    } finally {
      await h.close();
    }
  });
});
