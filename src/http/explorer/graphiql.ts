/**
 * GET /graphiql: GraphiQL served entirely by the gateway, for browsers that cannot reach a CDN
 * (Apollo Sandbox on /graphql loads its script, fonts and favicon from Apollo's CDNs). The page
 * and its assets come from npm packages (graphiql's UMD bundle and React's production UMD
 * builds), read once when the route is registered; the page's Content-Security-Policy allows
 * nothing but this origin, so the browser makes no request elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

export const GRAPHIQL_PATH = '/graphiql';

interface Asset {
  contentType: string;
  body: Buffer | string;
}

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

const ASSET_FILES: Record<string, { pkg: string; file: string; contentType: string }> = {
  'react.production.min.js': {
    pkg: 'react',
    file: 'umd/react.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

/** Mounts GraphiQL; `endpoint` is the path of the GraphQL API it talks to (same origin). */
const startScript = (endpoint: string): string => `'use strict';
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL(${JSON.stringify(endpoint)}, window.location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false })
  );
})();
`;

const page = (base: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>GraphiQL · credits-gateway</title>
  <link rel="icon" href="data:," />
  <link rel="stylesheet" href="${base}/graphiql.min.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="${base}/react.production.min.js"></script>
  <script src="${base}/react-dom.production.min.js"></script>
  <script src="${base}/graphiql.min.js"></script>
  <script src="${base}/start.js"></script>
</body>
</html>
`;

/** Only this origin: scripts and styles from the gateway, requests to the gateway. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // GraphiQL and CodeMirror set inline styles
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface GraphiqlRouteOptions {
  /** Path of the GraphQL API GraphiQL talks to (same origin). */
  endpoint?: string;
}

/** GET /graphiql and its assets, as a Fastify plugin. */
export const graphiqlRoute: FastifyPluginAsync<GraphiqlRouteOptions> = async (app, { endpoint = '/graphql' }) => {
  const assets = new Map<string, Asset>();
  await Promise.all(
    Object.entries(ASSET_FILES).map(async ([name, { pkg, file, contentType }]) => {
      assets.set(name, { contentType, body: await readFile(join(packageDir(pkg), file)) });
    }),
  );
  assets.set('start.js', { contentType: 'text/javascript; charset=utf-8', body: startScript(endpoint) });
  const html = page(GRAPHIQL_PATH);

  app.get(GRAPHIQL_PATH, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-cache')
      .send(html),
  );
  app.get<{ Params: { asset: string } }>(`${GRAPHIQL_PATH}/:asset`, async (request, reply) => {
    const asset = assets.get(request.params.asset);
    if (!asset)
      return reply.code(404).send({ error: 'Not Found', message: `No GraphiQL asset ${request.params.asset}` });
    return reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=3600')
      .send(asset.body);
  });
};
