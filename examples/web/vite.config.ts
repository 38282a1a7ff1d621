/**
 * `npm run dev`: the page on http://localhost:5173, /graphql proxied to the gateway
 * (GATEWAY_ORIGIN, default http://127.0.0.1:4000, i.e. `npm start`), so no CORS set-up is needed
 * while developing. `npm run build` with VITE_GATEWAY_URL makes a page that calls the gateway
 * cross-origin (the gateway then needs CORS_ORIGINS=<the page's origin>).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';

const generated = fileURLToPath(new URL('../../generated', import.meta.url));

export default defineConfig({
  server: {
    proxy: { '/graphql': { target: process.env.GATEWAY_ORIGIN ?? 'http://127.0.0.1:4000', changeOrigin: true } },
    // The typed documents live at the repository root (generated/), outside this package.
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), generated] },
  },
  build: { target: 'es2022' },
});
