/**
 * Environment → validated configuration. A bad value stops start-up with one message per
 * problem, naming the variable; credentials are never echoed back. The timing defaults live
 * here; the configuration's shape is in config-types.ts (re-exported).
 */
import { z } from 'zod';
import { parseCorsOrigins, type CorsOrigins } from './http/cors-origins';
import { authConfigFrom, authEnvironment } from './auth/auth-config';
import { chargeLimitsFrom, limitEnvironment } from './charges/limits/limit-config';
import { isLoopbackOrHttps } from './config-checks';
import { ConfigError, type Config, type UpstreamMode } from './config-types';

/** Document and body limits when their variables are unset (README, Limits). */
export const DEFAULT_LIMITS: Readonly<Config['limits']> = {
  maxDepth: 15,
  maxAliases: 30,
  maxFields: 200,
  maxDuplicateFields: 16,
  maxTokens: 1_000,
  maxComments: 500,
  maxBodyBytes: 64 * 1024,
  maxCost: 100,
};

export { ConfigError, type Config, type UpstreamMode } from './config-types';
export { isLoopbackOrHttps, subgraphExposureProblem } from './config-checks';

/**
 * Every timing default of the gateway, in one place: the environment schema below and the
 * composition root (gateway.ts) read them here and pass them down; no module keeps its own.
 */
export const TIMING_DEFAULTS = {
  /** One upstream attempt (WIX_ATTEMPT_TIMEOUT_MS). */
  attemptTimeoutMs: 3_000,
  /** Everything one GraphQL request may wait for (REQUEST_DEADLINE_MS). */
  requestDeadlineMs: 10_000,
  /** How long a charge send of unknown fate may still commit upstream (CHARGE_SETTLE_MS). */
  chargeSettleMs: 5_000,
  /** Added to a charge send lease's lifetime beyond the attempt and settle time it guards. */
  leaseMarginMs: 5_000,
  /** Until a send, a replica holds a charge key this long between renewals (what its death blocks the key for). */
  leaseHoldMs: 3_000,
  /** While another replica holds a charge key, a waiting request asks for it again about this often. */
  leasePollMs: 50,
  /** How long a finished charge outcome replays for its idempotency key. */
  chargeReplayTtlMs: 24 * 60 * 60 * 1000,
  /** Waits between attempts, reads and charges alike: capped exponential, full jitter. */
  backoff: { initialDelayMs: 50, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 },
  /** Read attempts, the first included. */
  readMaxAttempts: 3,
  /** Consecutive upstream failures that open a breaker, and how long it stays open. */
  breaker: { threshold: 12, halfOpenAfterMs: 5_000 },
  /** How long /readyz reuses its last check: probes then cost at most one upstream call per window. */
  readinessTtlMs: 5_000,
  /** A request's headers and body must have arrived within this (REQUEST_BODY_TIMEOUT_MS). */
  requestBodyTimeoutMs: 10_000,
  /** Idle upstream connections are kept this long for reuse. */
  upstreamKeepAliveMs: 30_000,
  /** How long a (immutable) transaction stays in the shared cache, in memory or Redis. */
  transactionCacheTtlMs: 15 * 60_000,
  /**
   * One Redis command, before it fails: the cache's counts as a miss (short: a read goes on
   * upstream); charge state and limits fail the charge closed, so they wait longer.
   */
  redis: { cacheCommandTimeoutMs: 250, stateCommandTimeoutMs: 500 },
  /** JWKS: one fetch, the pause before an unknown kid refetches, and the age that refreshes keys. */
  jwks: { timeoutMs: 5_000, cooldownMs: 30_000, maxAgeMs: 10 * 60_000 },
  /** A warning that repeats while a dependency stays down is logged at most once per this. */
  warningIntervalMs: 30_000,
  /** After SIGTERM/SIGINT, how long a clean shutdown may take before the process exits anyway. */
  shutdownGraceMs: 15_000,
} as const;

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max);

const environmentSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    NODE_ENV: z.string().optional(),
    WIX_API_KEY: z.string().min(1).optional(),
    WIX_ACCOUNT_ID: z.string().min(1).optional(),
    WIX_SITE_ID: z.string().min(1).optional(),
    WIX_AUTH: z.enum(['forward']).optional(),
    WIX_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://www.wixapis.com'),
    WIX_ATTEMPT_TIMEOUT_MS: positiveInt(60_000).default(TIMING_DEFAULTS.attemptTimeoutMs),
    REQUEST_DEADLINE_MS: positiveInt(120_000).default(TIMING_DEFAULTS.requestDeadlineMs),
    /** Shared transaction cache for several replicas. */
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    CHARGE_SETTLE_MS: positiveInt(120_000).default(TIMING_DEFAULTS.chargeSettleMs),
    ROUTER_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Key of the HMAC on connection cursors; replicas behind one load balancer must share it. */
    CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    INTROSPECTION: boolean.optional(),
    LANDING_PAGE: boolean.optional(),
    INCLUDE_STACKTRACE: boolean.optional(),
    CORS_ORIGINS: z.string().optional(),
    CORS_ALLOW_ANY: boolean.optional(),
    /** OpenTelemetry: tracing is on when this OTLP/HTTP endpoint is set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('credits-gateway'),
    /** One info line per HTTP request (default: on outside production). */
    LOG_REQUESTS: boolean.optional(),
    /** Identical upstream reads in flight for one tenant share one call (default on). */
    COLLAPSE_READS: boolean.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Introspection counts toward depth; the standard introspection query (Apollo Sandbox, codegen) is 15 deep.
    MAX_DEPTH: positiveInt(100).default(DEFAULT_LIMITS.maxDepth),
    MAX_ALIASES: positiveInt(1000).default(DEFAULT_LIMITS.maxAliases),
    /** Fields written in a document: bounds graphql-js validation (quadratic in fields); introspection has 73. */
    MAX_FIELDS: positiveInt(100_000).default(DEFAULT_LIMITS.maxFields),
    /** Fields merged into one response key: bounds graphql-js's pairwise overlap check (duplicate-fields.ts). */
    MAX_DUPLICATE_FIELDS: positiveInt(100_000).default(DEFAULT_LIMITS.maxDuplicateFields),
    /** Upstream-bound selections per operation: see src/graphql/cost-limits.ts. */
    MAX_COST: positiveInt(10_000).default(DEFAULT_LIMITS.maxCost),
    MAX_TOKENS: positiveInt(100_000).default(DEFAULT_LIMITS.maxTokens),
    /** Comments are not tokens: bounded on their own (graphql-js `maxComments`). */
    MAX_COMMENTS: positiveInt(100_000).default(DEFAULT_LIMITS.maxComments),
    MAX_BODY_BYTES: positiveInt(10 * 1024 * 1024).default(DEFAULT_LIMITS.maxBodyBytes),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    REQUEST_BODY_TIMEOUT_MS: positiveInt(600_000).default(TIMING_DEFAULTS.requestBodyTimeoutMs),
    SUBGRAPH_PUBLIC: boolean.optional(),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    WIX_MAX_RESPONSE_BYTES: positiveInt(256 * 1024 * 1024).default(4 * 1024 * 1024),
    IDEMPOTENCY_STORE_MAX_BYTES: positiveInt(4 * 1024 * 1024 * 1024).default(32 * 1024 * 1024),
    ...authEnvironment,
    ...limitEnvironment,
    AUTH_DISABLED: boolean.optional(),
    SANDBOX: boolean.optional(),
    SCHEMA_HINTS: boolean.optional(),
  })
  .superRefine((env, ctx) => {
    const cors = parseCorsOrigins(env.CORS_ORIGINS, env.CORS_ALLOW_ANY ?? false);
    if (!cors.ok)
      for (const message of cors.problems) ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message });
    if (env.WIX_ACCOUNT_ID && env.WIX_SITE_ID) {
      ctx.addIssue({ code: 'custom', path: ['WIX_SITE_ID'], message: 'set WIX_ACCOUNT_ID or WIX_SITE_ID, not both' });
    }
    if (env.WIX_API_KEY && !env.WIX_ACCOUNT_ID && !env.WIX_SITE_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['WIX_ACCOUNT_ID'],
        message: 'WIX_API_KEY needs WIX_ACCOUNT_ID (or WIX_SITE_ID)',
      });
    }
    if (!env.WIX_API_KEY && (env.WIX_ACCOUNT_ID || env.WIX_SITE_ID)) {
      ctx.addIssue({ code: 'custom', path: ['WIX_API_KEY'], message: 'WIX_ACCOUNT_ID/WIX_SITE_ID need WIX_API_KEY' });
    }
    if (env.WIX_API_KEY && env.WIX_AUTH === 'forward') {
      ctx.addIssue({
        code: 'custom',
        path: ['WIX_AUTH'],
        message: 'WIX_AUTH=forward excludes server-held WIX_API_KEY',
      });
    }
    if (env.REQUEST_DEADLINE_MS < env.WIX_ATTEMPT_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REQUEST_DEADLINE_MS'],
        message: `must be at least WIX_ATTEMPT_TIMEOUT_MS (${env.WIX_ATTEMPT_TIMEOUT_MS}): a request's deadline has to fit one upstream attempt`,
      });
    }
    if (!isLoopbackOrHttps(env.WIX_API_BASE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WIX_API_BASE_URL'],
        message: 'must use https (plain http is allowed for a loopback host only: the API key would travel in clear)',
      });
    }
  });

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as a shell `FOO= npm start` intends.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const upstream: UpstreamMode = e.WIX_API_KEY
    ? { kind: 'server-key', apiKey: e.WIX_API_KEY, accountId: e.WIX_ACCOUNT_ID, siteId: e.WIX_SITE_ID }
    : e.WIX_AUTH === 'forward'
      ? { kind: 'forward' }
      : { kind: 'sandbox' };
  const { auth, problems } = authConfigFrom(e, { production, upstream: upstream.kind, isLoopbackOrHttps });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: e.HOST,
    port: e.PORT,
    production,
    upstream,
    wixBaseUrl: e.WIX_API_BASE_URL,
    attemptTimeoutMs: e.WIX_ATTEMPT_TIMEOUT_MS,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    chargeSettleMs: e.CHARGE_SETTLE_MS,
    redisUrl: e.REDIS_URL ?? null,
    routerSecret: e.ROUTER_SECRET ?? null,
    cursorSecret: e.CURSOR_SECRET ?? null,
    introspection: e.INTROSPECTION ?? !production,
    landingPage: e.LANDING_PAGE ?? !production,
    includeStacktrace: e.INCLUDE_STACKTRACE ?? false,
    corsOrigins: corsOriginsOf(e.CORS_ORIGINS, e.CORS_ALLOW_ANY ?? false),
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS ?? !production,
    collapseReads: e.COLLAPSE_READS ?? true,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxFields: e.MAX_FIELDS,
      maxDuplicateFields: e.MAX_DUPLICATE_FIELDS,
      maxTokens: e.MAX_TOKENS,
      maxComments: e.MAX_COMMENTS,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxCost: e.MAX_COST,
    },
    sandboxPort: e.SANDBOX_PORT,
    requestBodyTimeoutMs: e.REQUEST_BODY_TIMEOUT_MS,
    subgraphPublic: e.SUBGRAPH_PUBLIC ?? false,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
    wixMaxResponseBytes: e.WIX_MAX_RESPONSE_BYTES,
    idempotencyStoreMaxBytes: e.IDEMPOTENCY_STORE_MAX_BYTES,
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME }
      : null,
    auth,
    schemaHints: e.SCHEMA_HINTS ?? !production,
    chargeLimits: chargeLimitsFrom(e),
  };
}

function corsOriginsOf(raw: string | undefined, allowAny: boolean): CorsOrigins {
  const cors = parseCorsOrigins(raw, allowAny);
  if (!cors.ok) throw new ConfigError(cors.problems.map((p) => `CORS_ORIGINS: ${p}`)); // already refused by the schema
  return cors.origins;
}
