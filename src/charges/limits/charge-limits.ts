/**
 * Per-caller limits around the charge service (which it calls unchanged), and the audit line:
 *  - rate: CHARGE_RATE_LIMIT charges per subject per sliding window → RATE_LIMITED with
 *    retryAfterSeconds; replays and retries of a key already admitted are not counted;
 *  - budget: credits per subject per UTC day (a `credits_budget` claim wins) → BudgetExceeded,
 *    no upstream call. The credits are reserved before the send; kept when the charge is made or
 *    its outcome unknown; given back only when it was definitely not made (insufficient credits,
 *    key reused, an error before any send). A key reserves once, however often it is retried;
 *  - one structured log line per outcome: subject, tenant digest, key, credits, outcome,
 *    transaction id, request id (no token, no key material).
 */
import { GraphQLError } from 'graphql';
import type { ChargeCall, ChargeService } from '../charge-service';
import type { ChargeOutcome } from '../../domain/credits';
import type { ChargeRequest } from '../../domain/charge-request';
import { canonicalDecimal, ExactDecimal, type ChargeLimitsConfig } from './limit-config';
import type { LimitStore, Settlement } from './limit-store';
import type { LimitSubject } from './limit-subject';

export interface BudgetExceededOutcome {
  kind: 'budgetExceeded';
  budget: string;
  used: string;
  requested: string;
  resetsAt: Date;
}

export type LimitedChargeOutcome = ChargeOutcome | BudgetExceededOutcome;

export interface ChargeAuditEntry {
  subject: string;
  tenant: string | null;
  idempotencyKey: string;
  credits: number;
  outcome: string;
  transactionId: string | null;
  requestId: string;
}

export interface ChargeLimitsOptions {
  config: ChargeLimitsConfig;
  store: LimitStore;
  audit?: (entry: ChargeAuditEntry) => void;
  onSettleError?: (error: unknown) => void;
  now?: () => number;
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many charges: retry in ${retryAfterSeconds} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
  });
}

/** YYYY-MM-DD (UTC) and the next UTC midnight. */
export function utcDay(nowMs: number): { day: string; resetsAt: Date } {
  const now = new Date(nowMs);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { day: new Date(start).toISOString().slice(0, 10), resetsAt: new Date(start + 86_400_000) };
}

function settlementOf(outcome: ChargeOutcome): Settlement | null {
  switch (outcome.kind) {
    case 'charged':
      return 'made';
    case 'insufficient':
    case 'keyReused':
      return 'refused';
    case 'unknown':
      return null; // keep the reservation: it may have been debited
  }
}

export class ChargeLimits {
  private readonly now: () => number;

  constructor(
    private readonly charges: ChargeService,
    private readonly options: ChargeLimitsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async charge(
    subject: LimitSubject,
    call: ChargeCall,
    request: ChargeRequest,
    requestId: string,
  ): Promise<LimitedChargeOutcome> {
    const audit = (outcome: string, transactionId: string | null = null) =>
      this.options.audit?.({
        subject: subject.id,
        tenant: call.tenant,
        idempotencyKey: request.idempotencyKey,
        credits: request.credits,
        outcome,
        transactionId,
        requestId,
      });
    const { config, store } = this.options;
    const budget = subject.budgetClaim ?? config.budgetPerDay;
    if (!config.rate && budget === null) return this.settled(subject, call, request, audit, false);

    const nowMs = this.now();
    const { day, resetsAt } = utcDay(nowMs);
    const amount = canonicalDecimal(request.credits);
    const admission = await store.admit({
      subject: subject.id,
      idempotencyKey: request.idempotencyKey,
      amount,
      budget,
      rate: config.rate,
      nowMs,
      day,
    });
    switch (admission.kind) {
      case 'rateLimited': {
        audit('rateLimited');
        throw rateLimited(Math.max(1, Math.ceil(admission.retryAfterMs / 1000)));
      }
      case 'budgetExceeded':
        audit('budgetExceeded');
        return { kind: 'budgetExceeded', budget: budget ?? '0', used: admission.used, requested: amount, resetsAt };
      case 'replay':
      case 'admitted':
        return this.settled(subject, call, request, audit, true);
    }
  }

  private async settled(
    subject: LimitSubject,
    call: ChargeCall,
    request: ChargeRequest,
    audit: (outcome: string, transactionId?: string | null) => void,
    tracked: boolean,
  ): Promise<LimitedChargeOutcome> {
    let outcome: ChargeOutcome;
    try {
      outcome = await this.charges.charge(call, request);
    } catch (error) {
      // The charge service throws only when nothing was sent under the key: definitely not made.
      audit('failed');
      if (tracked) await this.settle(subject, request, 'failed');
      throw error;
    }
    audit(outcome.kind, outcome.kind === 'charged' ? outcome.transaction.id : null);
    const settlement = settlementOf(outcome);
    if (tracked && settlement) await this.settle(subject, request, settlement);
    return outcome;
  }

  close(): Promise<void> {
    return this.options.store.close();
  }

  /** A lost settlement only over-counts (the reservation stays until the day ends): never fails the answer. */
  private async settle(subject: LimitSubject, request: ChargeRequest, settlement: Settlement): Promise<void> {
    try {
      await this.options.store.settle(subject.id, request.idempotencyKey, settlement);
    } catch (error) {
      this.options.onSettleError?.(error);
    }
  }
}

/** "12.5" of "50": how a BudgetExceeded message reads. */
export function budgetMessage(outcome: BudgetExceededOutcome): string {
  const left = ExactDecimal.max(new ExactDecimal(outcome.budget).minus(outcome.used), 0).toFixed();
  return `Daily credit budget exceeded: ${outcome.requested} requested, ${left} of ${outcome.budget} left until ${outcome.resetsAt.toISOString()}.`;
}
