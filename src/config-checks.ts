/**
 * Checks on configured values that config.ts's schema and main.ts's start-up apply (re-exported
 * from config.ts): where credentials may travel, and who may reach /subgraph.
 */
import type { Config } from './config-types';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere; plain http only to this machine. */
export function isLoopbackOrHttps(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname.toLowerCase());
}

/**
 * Production must not serve /subgraph (`_entities`, `_service`) to anyone: without ROUTER_SECRET
 * start-up refuses, unless SUBGRAPH_PUBLIC=true says so on purpose. The one line to print, or null.
 */
export function subgraphExposureProblem(
  config: Pick<Config, 'production' | 'routerSecret' | 'subgraphPublic'>,
): string | null {
  if (!config.production || config.routerSecret !== null || config.subgraphPublic) return null;
  return 'ROUTER_SECRET: NODE_ENV=production would serve /subgraph to anyone; set ROUTER_SECRET (at least 16 characters) for the router, or SUBGRAPH_PUBLIC=true on purpose';
}
