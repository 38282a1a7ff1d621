import { Arg, Ctx, Extensions, ID, Int, Query, Resolver } from 'type-graphql';
import { RequiresScope } from '../../auth/auth-checker';
import { Scope } from '../../auth/scopes';
import type { CreditTransaction } from '../../domain/credits';
import type { GatewayContext } from '../context';
import { MAX_PAGE_SIZE, type TransactionConnection } from '../../reader/pagination/transaction-connection';
import { CreditTransactionConnectionType } from '../types/connection.type';
import { CreditTransactionType } from '../types/credit-transaction.type';
import { argumentLimits } from '../declared-limits';
import { CreditTransactionFilterInput, SortOrder } from '../types/inputs.type';
import { guidArgument, toTransactionFilter } from '../transaction-filter';

@Resolver(() => CreditTransactionType)
export class CreditTransactionResolver {
  @RequiresScope(Scope.READ)
  // An id that is not a GUID is refused by the argument-limits plugin: 400 before any resolver runs.
  @Extensions(argumentLimits({ id: { guid: true } }))
  @Query(() => CreditTransactionType, {
    nullable: true,
    // On the field, not the argument: an argument description would change the printed signature.
    description:
      'One transaction by id, a GUID in any letter case (anything else is BAD_USER_INPUT); null when unknown.',
  })
  creditTransaction(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): CreditTransaction | null | Promise<CreditTransaction | null> {
    // Any letter case names the same transaction (and the same loader/cache entry); refused as
    // the plugin refuses it where the schema runs without the plugin (direct execution).
    return ctx.reader.transaction(guidArgument(id, 'id'));
  }

  @RequiresScope(Scope.READ)
  // Enforced by the argument-limits plugin before any resolver runs (the filter's lists declare theirs).
  @Extensions(argumentLimits({ first: { range: { min: 1, max: MAX_PAGE_SIZE } } }))
  @Query(() => CreditTransactionConnectionType, { description: 'Transaction history, newest first by default.' })
  creditTransactions(
    // Declared last-to-first: type-graphql lists arguments in reverse, and the SDL should read
    // (filter, order, first, after) as the contract does.
    @Arg('after', () => String, { nullable: true, description: 'endCursor (or an edge cursor) of the previous page.' })
    after: string | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: `At most ${MAX_PAGE_SIZE}.` }) first:
      | number
      | null
      | undefined,
    @Arg('order', () => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order:
      | SortOrder
      | null
      | undefined,
    @Arg('filter', () => CreditTransactionFilterInput, { nullable: true }) filter:
      | CreditTransactionFilterInput
      | null
      | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<TransactionConnection> {
    return ctx.reader.transactions({
      filter: toTransactionFilter(filter),
      order: order ?? SortOrder.DESC,
      first: first ?? 20,
      after: after ?? undefined,
    });
  }
}
