import { Ctx, Query, Resolver } from 'type-graphql';
import { RequiresScope } from '../../auth/auth-checker';
import { Scope } from '../../auth/scopes';
import type { CreditBalance } from '../../domain/credits';
import type { GatewayContext } from '../context';
import { CreditBalanceType } from '../types/credit-balance.type';

@Resolver(() => CreditBalanceType)
export class CreditBalanceResolver {
  @RequiresScope(Scope.READ)
  @Query(() => CreditBalanceType, { description: 'The credit wallet of the account: periodic and top-up credits.' })
  creditBalance(@Ctx() ctx: GatewayContext): Promise<CreditBalance> {
    return ctx.reader.balance();
  }
}
