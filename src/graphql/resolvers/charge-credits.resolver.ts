import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { RequiresScope } from '../../auth/auth-checker';
import { Scope } from '../../auth/scopes';
import type { GatewayContext } from '../context';
import { validateChargeInput } from '../validation/charge-input.validation';
import {
  BudgetExceeded,
  ChargeCreditsResult,
  ChargeOutcomeUnknown,
  CreditsCharged,
  IdempotencyKeyReused,
  InsufficientCredits,
  type ChargeCreditsResultMember,
} from '../types/charge-result.type';
import { ChargeCreditsInput } from '../types/inputs.type';

@Resolver()
export class ChargeCreditsResolver {
  @RequiresScope(Scope.CHARGE)
  @Mutation(() => ChargeCreditsResult, {
    description:
      'Charge credits once per idempotencyKey. Business outcomes are union members; retry ChargeOutcomeUnknown with the same key and input.',
  })
  async chargeCredits(
    @Arg('input', () => ChargeCreditsInput) input: ChargeCreditsInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<ChargeCreditsResultMember> {
    const request = validateChargeInput(input);
    // A charge made here is seen by the request's later reads (the balance after the debit).
    const outcome = await ctx.charges.charge(request);
    switch (outcome.kind) {
      case 'charged':
        return new CreditsCharged(outcome.transaction);
      case 'insufficient':
        return new InsufficientCredits(outcome.requiredCredits, outcome.availableCredits);
      case 'keyReused':
        return new IdempotencyKeyReused(request.idempotencyKey);
      case 'unknown':
        return new ChargeOutcomeUnknown(request.idempotencyKey);
      case 'budgetExceeded':
        return new BudgetExceeded(outcome);
    }
  }
}
