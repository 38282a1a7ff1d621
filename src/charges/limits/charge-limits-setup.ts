/** Which limit store backs the charge limits: Redis when REDIS_URL is set (shared by replicas), memory otherwise. */
import type { AuthConfig } from '../../auth/auth-config';
import type { ChargeService } from '../charge-service';
import { type ChargeAuditEntry, ChargeLimits } from './charge-limits';
import type { ChargeLimitsConfig } from './limit-config';
import { type LimitStore, MemoryLimitStore } from './limit-store';

export interface ChargeLog {
  audit(entry: ChargeAuditEntry): void;
  warn(error: unknown): void;
}

/**
 * `redisStore` makes the shared store (REDIS_URL; the caller loads ioredis only then). It is
 * used only when some limit can apply: a configured one, or a `credits_budget` claim (JWT mode).
 */
export function chargeLimitsFor(
  charges: ChargeService,
  config: { chargeLimits?: ChargeLimitsConfig; auth?: AuthConfig },
  log: ChargeLog,
  redisStore: (() => LimitStore) | null,
): ChargeLimits {
  const limits = config.chargeLimits ?? { rate: null, budgetPerDay: null };
  const used = limits.rate !== null || limits.budgetPerDay !== null || config.auth?.kind === 'jwt';
  const store = used && redisStore ? redisStore() : new MemoryLimitStore();
  return new ChargeLimits(charges, {
    config: limits,
    store,
    audit: (entry) => log.audit(entry),
    onSettleError: (error) => log.warn(error),
  });
}
