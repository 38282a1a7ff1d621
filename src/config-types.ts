/**
 * The validated configuration's shape, as config.ts's loadConfig returns it and the composition
 * root (gateway.ts, main.ts) reads it; config.ts re-exports it.
 */
import type { AuthConfig } from './auth/auth-config';
import type { ChargeLimitsConfig } from './charges/limits/limit-config';
import type { CorsOrigins } from './http/cors-origins';

export type UpstreamMode =
  | { kind: 'server-key'; apiKey: string; accountId?: string; siteId?: string }
  | { kind: 'forward' }
  | { kind: 'sandbox' };

export interface Config {
  host: string;
  port: number;
  production: boolean;
  upstream: UpstreamMode;
  wixBaseUrl: string;
  attemptTimeoutMs: number;
  requestDeadlineMs: number;
  /** After a charge send whose fate is unknown, how long the upstream may still commit it: no resend before then. */
  chargeSettleMs: number;
  /** Redis for the shared transaction cache; null: in memory, per process. */
  redisUrl: string | null;
  routerSecret: string | null;
  /** HMAC key of connection cursors; null: a random key per process. */
  cursorSecret: string | null;
  introspection: boolean;
  landingPage: boolean;
  includeStacktrace: boolean;
  /** Browser origins allowed by CORS, as browsers send them; 'any' only with CORS_ALLOW_ANY=true. */
  corsOrigins: CorsOrigins;
  logLevel: string;
  /** One info line per HTTP request; absent: off. */
  logRequests?: boolean;
  /** Identical upstream reads in flight for one tenant share one call; absent: on. */
  collapseReads?: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    /** Fields written in a document, each fragment counted once (src/graphql/limits.ts). */
    maxFields: number;
    /** Fields merged into one response key, fragments and same-named parents counted (src/graphql/duplicate-fields.ts). */
    maxDuplicateFields: number;
    maxTokens: number;
    /** `#` comments in a document (they are not tokens). */
    maxComments: number;
    maxBodyBytes: number;
    /** Upstream-bound selections per operation (src/graphql/cost-limits.ts). */
    maxCost: number;
  };
  sandboxPort: number;
  /** A request's headers and body must have arrived within this time, or 408 and the connection closes. Absent: 10 s. */
  requestBodyTimeoutMs?: number;
  /** Production serves /subgraph without ROUTER_SECRET only when this is set on purpose. */
  subgraphPublic?: boolean;
  /** Port of the separate /metrics listener (0: any free port); absent or null: metrics not served. */
  metricsPort?: number | null;
  /** Host of the /metrics listener. Absent: 127.0.0.1. */
  metricsHost?: string;
  /** Longest upstream response body read; longer is an upstream failure. Absent: 4 MiB. */
  wixMaxResponseBytes?: number;
  /** Bound of the in-memory idempotency records, in bytes. Absent: 32 MiB. */
  idempotencyStoreMaxBytes?: number;
  /** OpenTelemetry tracing over OTLP/HTTP; null: off. */
  tracing: { endpoint: string; serviceName: string } | null;
  /** Caller authentication (JWT), or none and why. */
  auth: AuthConfig;
  /** "Did you mean …" suggestions in error messages (they reveal the schema): off in production. Absent: as introspection. */
  schemaHints?: boolean;
  /** Per-caller charge rate and daily budget. */
  chargeLimits: ChargeLimitsConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
