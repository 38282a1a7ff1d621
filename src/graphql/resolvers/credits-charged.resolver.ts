import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import type { CreditBalance } from '../../domain/credits';
import type { GatewayContext } from '../context';
import { CreditsCharged } from '../types/charge-result.type';
import { CreditBalanceType } from '../types/credit-balance.type';

@Resolver(() => CreditsCharged)
export class CreditsChargedResolver {
  /** Read lazily, after the charge: only clients that select it pay for the upstream call. */
  @FieldResolver(() => CreditBalanceType)
  balance(@Ctx() ctx: GatewayContext): Promise<CreditBalance> {
    return ctx.reader.balance();
  }
}
