/**
 * GET /healthz: the process is up. GET /readyz: the upstream answers (and Redis, with
 * REDIS_URL), probed at most once per READINESS_TTL_MS, concurrent probes sharing one call.
 */
import type { FastifyPluginAsync } from 'fastify';
import { TIMING_DEFAULTS } from '../../config';

/** How long a readiness answer is reused (TIMING_DEFAULTS.readinessTtlMs). */
export const READINESS_TTL_MS = TIMING_DEFAULTS.readinessTtlMs;

/** Readiness answered from a short cache, with at most one probe in flight (shared by concurrent callers). */
export function cachedReadiness(
  probe: () => Promise<boolean>,
  ttlMs = READINESS_TTL_MS,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let last: { ready: boolean; at: number } | null = null;
  let inFlight: Promise<boolean> | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.ready);
    inFlight ??= Promise.resolve()
      .then(probe)
      .catch(() => false)
      .then((ready) => {
        last = { ready, at: now() };
        inFlight = null;
        return ready;
      });
    return inFlight;
  };
}

export interface HealthRoutesOptions {
  /** Is the upstream reachable? */
  readiness: () => Promise<boolean>;
  /** Does Redis answer? Only with REDIS_URL; then /readyz reports it too. */
  redisReadiness?: () => Promise<boolean>;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  const upstreamReady = cachedReadiness(options.readiness);
  const redisReady = options.redisReadiness ? cachedReadiness(options.redisReadiness) : null;
  app.get('/readyz', async (_request, reply) => {
    const [upstream, redis] = await Promise.all([upstreamReady(), redisReady ? redisReady() : null]);
    const ready = upstream && redis !== false;
    const checks = {
      upstream: upstream ? 'ok' : 'unavailable',
      ...(redis === null ? {} : { redis: redis ? 'ok' : 'unavailable' }),
    };
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
};
