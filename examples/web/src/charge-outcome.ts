/**
 * Every member of ChargeCreditsResult, in words. The switch is exhaustive: when the schema gains
 * a member and `npm run codegen` regenerates the types, this file stops compiling until the new
 * member is rendered.
 */
import type { ChargeResult } from './charge-intent';

export interface OutcomeView {
  tone: 'success' | 'refused' | 'unknown';
  title: string;
  detail: string;
}

const credits = (n: number | string): string => `${n} credits`;

export function describeOutcome(result: ChargeResult): OutcomeView {
  switch (result.__typename) {
    case 'CreditsCharged':
      return {
        tone: 'success',
        title: `Charged ${credits(result.transaction.amount?.credits ?? '?')}`,
        detail: `Transaction ${result.transaction.id}. Available now: ${credits(result.balance.availableCredits)}.`,
      };
    case 'InsufficientCredits':
      return {
        tone: 'refused',
        title: 'Not enough credits',
        detail: `${result.message} (required ${credits(result.requiredCredits)}, available ${credits(result.availableCredits)}). Nothing was charged.`,
      };
    case 'IdempotencyKeyReused':
      return {
        tone: 'refused',
        title: 'Idempotency key already used for another charge',
        detail: `${result.message} (key ${result.idempotencyKey}). Nothing was charged.`,
      };
    case 'ChargeOutcomeUnknown':
      return {
        tone: 'unknown',
        title: 'Outcome not known yet',
        detail: `${result.message} Retry: the same key (${result.idempotencyKey}) never charges twice.`,
      };
    case 'BudgetExceeded':
      return {
        tone: 'refused',
        title: 'Daily budget exceeded',
        detail:
          `Your daily budget is ${credits(result.budget)}, ${credits(result.used)} used, ${credits(result.requested)} requested; ` +
          `it starts afresh at ${new Date(result.resetsAt).toLocaleString()}. Nothing was charged.`,
      };
    default: {
      const unhandled: never = result;
      return unhandled;
    }
  }
}
