import { createUnionType, Field, Float, ID, ObjectType } from 'type-graphql';
import type { CreditTransaction } from '../../domain/credits';
import { budgetMessage, type BudgetExceededOutcome } from '../../charges/limits/charge-limits';
import { DateTimeScalar, DecimalScalar } from '../scalars';
import { CreditBalanceType } from './credit-balance.type';
import { CreditTransactionType } from './credit-transaction.type';

@ObjectType('CreditsCharged', { simpleResolvers: true })
export class CreditsCharged {
  @Field(() => CreditTransactionType)
  transaction: CreditTransaction;

  /** Resolved lazily (after the charge) by CreditsChargedResolver. */
  @Field(() => CreditBalanceType)
  balance?: CreditBalanceType;

  constructor(transaction: CreditTransaction) {
    this.transaction = transaction;
  }
}

@ObjectType('InsufficientCredits', { simpleResolvers: true })
export class InsufficientCredits {
  @Field(() => Float)
  requiredCredits: number;

  @Field(() => Float)
  availableCredits: number;

  @Field(() => String)
  message: string;

  constructor(requiredCredits: number, availableCredits: number) {
    this.requiredCredits = requiredCredits;
    this.availableCredits = availableCredits;
    this.message = `Not enough credits: ${requiredCredits} required, ${availableCredits} available.`;
  }
}

/** An answer about a key rather than a transaction: the key and what to do next. */
@ObjectType({ simpleResolvers: true }) // not reachable from the schema: only its subclasses are emitted
abstract class KeyedChargeAnswer {
  @Field(() => ID)
  idempotencyKey: string;

  @Field(() => String)
  message: string;

  protected constructor(idempotencyKey: string, message: string) {
    this.idempotencyKey = idempotencyKey;
    this.message = message;
  }
}

@ObjectType('IdempotencyKeyReused', { simpleResolvers: true })
export class IdempotencyKeyReused extends KeyedChargeAnswer {
  constructor(idempotencyKey: string) {
    super(
      idempotencyKey,
      'This idempotency key was already used for a different charge; make a new key for a new charge.',
    );
  }
}

@ObjectType('ChargeOutcomeUnknown', { simpleResolvers: true })
export class ChargeOutcomeUnknown extends KeyedChargeAnswer {
  constructor(idempotencyKey: string) {
    super(
      idempotencyKey,
      'The charge could not be confirmed in time. It was made at most once: retry with the same idempotencyKey and input to learn the outcome.',
    );
  }
}

@ObjectType('BudgetExceeded', {
  description: "The charge would exceed the caller's daily credit budget: nothing was charged.",
})
export class BudgetExceeded {
  @Field(() => DecimalScalar, { description: 'Credits per UTC day for this caller.' })
  budget: string;

  @Field(() => DecimalScalar, { description: 'Credits already charged or reserved today.' })
  used: string;

  @Field(() => DecimalScalar)
  requested: string;

  @Field(() => DateTimeScalar, { description: 'When the budget starts afresh (next UTC midnight).' })
  resetsAt: Date;

  @Field(() => String)
  message: string;

  constructor(outcome: BudgetExceededOutcome) {
    this.budget = outcome.budget;
    this.used = outcome.used;
    this.requested = outcome.requested;
    this.resetsAt = outcome.resetsAt;
    this.message = budgetMessage(outcome);
  }
}

export type ChargeCreditsResultMember =
  | CreditsCharged
  | InsufficientCredits
  | IdempotencyKeyReused
  | ChargeOutcomeUnknown
  | BudgetExceeded;

export const ChargeCreditsResult = createUnionType({
  name: 'ChargeCreditsResult',
  types: () =>
    [CreditsCharged, InsufficientCredits, IdempotencyKeyReused, ChargeOutcomeUnknown, BudgetExceeded] as const,
});
