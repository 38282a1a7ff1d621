import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { RequiresScope } from '../../auth/auth-checker';
import { Scope } from '../../auth/scopes';
import type { GatewayContext } from '../context';
import { limitSubjectOf } from '../../charges/limits/limit-subject';
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
    const call = ctx.callOptions();
    const outcome = ctx.services.chargeLimits
      ? await ctx.services.chargeLimits.charge(limitSubjectOf(ctx.caller, ctx.tenant), call, request, ctx.requestId)
      : await ctx.services.charges.charge(call, request);
    switch (outcome.kind) {
      case 'charged':
        // The balance read after this answer must see the debit.
        ctx.loaders.balance.clear();
        ctx.loaders.transactionById.prime(outcome.transaction.id, outcome.transaction);
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
