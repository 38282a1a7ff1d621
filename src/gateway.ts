/**
 * The composition root: one Wix client with its call policies, the shared caches and the charge
 * service, and the HTTP server over them. `main.ts` and the tests build the gateway through here.
 */
import type { FastifyInstance } from 'fastify';
import { createAuthenticator } from './auth/authenticator';
import { chargeLimitsFor } from './charges/limits/charge-limits-setup';
import { MemoryTransactionCache, type TransactionCache } from './reader/cache/transaction-cache';
import { ChargeService } from './charges/charge-service';
import { CursorCodec } from './reader/pagination/cursor-codec';
import {
  DEFAULT_IDEMPOTENCY_STORE_MAX_BYTES,
  MemoryIdempotencyStore,
  type IdempotencyStore,
} from './charges/idempotency-store';
import type { BackoffOptions } from './common/backoff';
import { TIMING_DEFAULTS, type Config } from './config';
import type { CredentialSource, GatewayServices } from './graphql/context';
import { createMetrics } from './telemetry/metrics';
import { startMetricsListener, type MetricsListener } from './http/metrics-listener';
import { rateLimitedWarning, type WarningSink } from './common/rate-limited-warning';
import { createServer, type ServerDependencies } from './http/server';
import { CircuitState, createCallPolicies, type RetryPolicyOptions } from './wix/retry-policy';
import { WixChargeUpstream } from './wix/wix-charge-upstream';
import { WixClient } from './wix/wix-client';

export type GatewayConfig = Omit<
  Config,
  'upstream' | 'sandboxPort' | 'production' | 'tracing' | 'auth' | 'chargeLimits'
> & {
  /** Caller authentication; none by default. */
  auth?: Config['auth'];
  /** CHARGE_RATE_LIMIT and CHARGE_BUDGET_PER_DAY; none by default. */
  chargeLimits?: Config['chargeLimits'];
  /** JWKS fetch tuning (tests shorten the cooldown). */
  jwks?: { cooldownMs?: number; timeoutMs?: number; maxAgeMs?: number };
};

export interface GatewayOptions {
  config: GatewayConfig;
  credentialSource: CredentialSource;
  retry?: Partial<RetryPolicyOptions>;
  /** The charges' backoff, over TIMING_DEFAULTS.backoff (tests shorten it). */
  chargeBackoff?: Partial<BackoffOptions>;
  idempotencyStore?: IdempotencyStore;
  transactionCache?: TransactionCache;
  /** The upstream started with this process (the embedded sandbox): no earlier send can be pending. */
  freshUpstream?: boolean;
  /** Process metrics off lets tests build many gateways in one process. */
  collectDefaultMetrics?: boolean;
  /** Where log lines go (stdout when absent): tests read them. */
  logStream?: ServerDependencies['logStream'];
}

export interface Gateway {
  app: FastifyInstance;
  services: GatewayServices;
  /** Where charge outcomes are remembered by idempotency key (bounded in memory, or Redis). */
  chargeStore: IdempotencyStore;
  /** Listens on the configured host and port; returns the base URL (http://host:port). */
  listen(): Promise<string>;
  /** The separate /metrics listener's URL once listening (METRICS_PORT set); null otherwise. */
  readonly metricsUrl: string | null;
  close(): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const policies = createCallPolicies({
    maxAttempts: TIMING_DEFAULTS.readMaxAttempts,
    ...TIMING_DEFAULTS.backoff,
    breakerThreshold: TIMING_DEFAULTS.breaker.threshold,
    halfOpenAfterMs: TIMING_DEFAULTS.breaker.halfOpenAfterMs,
    ...options.retry,
  });
  const client = new WixClient({
    baseUrl: config.wixBaseUrl,
    attemptTimeoutMs: config.attemptTimeoutMs,
    readPolicy: policies.read,
    chargePolicy: policies.charge,
    collapseReads: config.collapseReads,
    maxResponseBytes: config.wixMaxResponseBytes,
    keepAliveMs: TIMING_DEFAULTS.upstreamKeepAliveMs,
  });
  // Redis errors are logged once the server (and its logger) exists, at most one line per 30 s
  // while Redis stays down (each failing command and reconnect reports one).
  let redisLogger: WarningSink | null = null;
  const logRedisError = rateLimitedWarning(
    () => redisLogger ?? { warn: () => undefined },
    'Redis unavailable',
    (error) => ({ redisError: error instanceof Error ? error.message : String(error) }),
    TIMING_DEFAULTS.warningIntervalMs,
  );
  // ioredis is loaded only when REDIS_URL is set: loading it alone adds about 15 MB of RSS.
  const redis = config.redisUrl
    ? {
        url: config.redisUrl,
        ...(await import('./reader/cache/redis-transaction-cache')),
        ...(await import('./charges/redis-charge-state')),
        ...(await import('./charges/limits/redis-limit-store')),
      }
    : null;
  const transactionCache =
    options.transactionCache ??
    (redis
      ? new redis.RedisTransactionCache(redis.url, {
          ttlMs: TIMING_DEFAULTS.transactionCacheTtlMs,
          commandTimeoutMs: TIMING_DEFAULTS.redis.cacheCommandTimeoutMs,
          onError: (error) => logRedisError(error),
        })
      : new MemoryTransactionCache({ ttlMs: TIMING_DEFAULTS.transactionCacheTtlMs }));
  // With Redis, replicas share charge state and a lock per key; without, one process needs neither.
  const chargeState = redis
    ? new redis.RedisChargeState(redis.url, {
        commandTimeoutMs: TIMING_DEFAULTS.redis.stateCommandTimeoutMs,
        onError: (error) => logRedisError(error),
      })
    : null;
  const chargeStore: IdempotencyStore =
    options.idempotencyStore ??
    chargeState ??
    new MemoryIdempotencyStore(undefined, config.idempotencyStoreMaxBytes ?? DEFAULT_IDEMPOTENCY_STORE_MAX_BYTES);
  const charges = new ChargeService(new WixChargeUpstream(client), {
    store: chargeStore,
    replayTtlMs: TIMING_DEFAULTS.chargeReplayTtlMs,
    backoff: { ...TIMING_DEFAULTS.backoff, ...options.chargeBackoff },
    settleMs: config.chargeSettleMs,
    // No start-up wait against a fresh upstream, nor with Redis: a dead replica's pending send holds its lease.
    startupSettleMs: options.freshUpstream || chargeState ? 0 : config.chargeSettleMs,
    ...(chargeState && {
      lock: {
        keys: chargeState,
        lease: {
          holdMs: TIMING_DEFAULTS.leaseHoldMs,
          sendLeaseMs: config.attemptTimeoutMs + config.chargeSettleMs + TIMING_DEFAULTS.leaseMarginMs,
          pollMs: TIMING_DEFAULTS.leasePollMs,
        },
      },
    }),
  });
  // Audit lines and limit-store errors go to the server's logger once it exists.
  let chargeLog: Parameters<typeof chargeLimitsFor>[2] = { audit: () => undefined, warn: () => undefined };
  const chargeLimits = chargeLimitsFor(
    charges,
    config,
    { audit: (entry) => chargeLog.audit(entry), warn: (error) => chargeLog.warn(error) },
    redis
      ? () =>
          new redis.RedisLimitStore(redis.url, {
            commandTimeoutMs: TIMING_DEFAULTS.redis.stateCommandTimeoutMs,
            onError: (error) => logRedisError(error),
          })
      : null,
  );
  const services: GatewayServices = {
    client,
    transactionCache,
    cursors: new CursorCodec(config.cursorSecret),
    charges,
    chargeLimits,
  };
  const metrics = createMetrics(options.collectDefaultMetrics ?? true);
  for (const [name, breaker] of [
    ['read', policies.readBreaker],
    ['charge', policies.chargeBreaker],
  ] as const) {
    breaker.onStateChange((state) => metrics.breakerOpen.labels(name).set(state === CircuitState.Closed ? 0 : 1));
  }
  const source = options.credentialSource;
  // JWKS fetch failures are logged once the server's logger exists.
  let logKeyFetchError: (error: unknown) => void = () => undefined;
  const authenticator = createAuthenticator(config.auth ?? { kind: 'none', reason: 'development' }, {
    jwks: { ...TIMING_DEFAULTS.jwks, ...config.jwks },
    onKeyFetchError: (error) => logKeyFetchError(error),
  });
  const app = await createServer({
    authenticator,
    config,
    services,
    credentialSource: source,
    metrics,
    logStream: options.logStream,
    // Ready when the upstream answers at all; with forwarded credentials there is no key to ask with.
    readiness: async () => {
      if (source.kind !== 'server') return policies.readBreaker.state !== CircuitState.Open;
      await client.getBalance({
        credentials: source.credentials,
        signal: AbortSignal.timeout(config.attemptTimeoutMs),
      });
      return true;
    },
    // With REDIS_URL charges fail closed while Redis is down: not ready then.
    ...(chargeState ? { redisReadiness: () => chargeState.ping() } : {}),
  });
  logKeyFetchError = (error) =>
    app.log.warn(
      { jwksError: error instanceof Error ? error.message : String(error) },
      'JWKS fetch failed; known keys stay in use',
    );
  redisLogger = app.log;
  chargeLog = {
    audit: (entry) => app.log.info({ audit: 'charge', ...entry }, 'charge outcome'),
    warn: (error) =>
      app.log.warn(
        { limitsError: error instanceof Error ? error.message : String(error) },
        'charge limit store unavailable',
      ),
  };
  let metricsListener: MetricsListener | null = null;
  return {
    app,
    services,
    chargeStore,
    get metricsUrl() {
      return metricsListener?.url ?? null;
    },
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      if (config.metricsPort != null) {
        metricsListener = await startMetricsListener(
          metrics.registry,
          config.metricsHost ?? '127.0.0.1',
          config.metricsPort,
        );
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      await app.close();
      await metricsListener?.close();
      await client.close();
      await services.transactionCache.close();
      await chargeState?.close();
      await chargeLimits.close();
    },
  };
}
