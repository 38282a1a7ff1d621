/// <reference types="vite/client" />
interface ImportMetaEnv {
  /** The gateway's GraphQL endpoint; default `/graphql` (same origin, the dev server's proxy). */
  readonly VITE_GATEWAY_URL?: string;
  /** A bearer token to start with (gateway with JWT auth on); the page's token field overrides it. */
  readonly VITE_GATEWAY_TOKEN?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
