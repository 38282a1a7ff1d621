/**
 * Whom a charge counts against: the token's subject (JWT mode), the tenant (forwarded Wix
 * credentials), or the client address (no caller authentication). A `credits_budget` claim
 * overrides the configured budget for its subject.
 */
import type { Caller } from '../../auth/caller';

export interface LimitSubject {
  /** Namespaced: `sub:…`, `tenant:…` or `addr:…`. */
  id: string;
  /** Decimal string from the token, or null to use CHARGE_BUDGET_PER_DAY. */
  budgetClaim: string | null;
}

export function limitSubjectOf(caller: Caller, tenant: string | null): LimitSubject {
  if (caller.principal) return { id: `sub:${caller.principal.subject}`, budgetClaim: caller.principal.budget };
  if (caller.forwarded && tenant) return { id: `tenant:${tenant}`, budgetClaim: null };
  return { id: `addr:${caller.address}`, budgetClaim: null };
}
