import { Field, Float, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType('CreditAmount', { simpleResolvers: true })
export class CreditAmountType {
  @Field(() => Float)
  balance: number;

  @Field(() => Float, { nullable: true })
  cap: number | null;
}

@ObjectType('UsageRule', { simpleResolvers: true })
export class UsageRuleType {
  @Field(() => String, { nullable: true, description: 'e.g. MONTH' })
  period: string | null;

  @Field(() => Float, { nullable: true })
  balance: number | null;

  @Field(() => Float, { nullable: true })
  cap: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  resetDate: Date | null;
}

@ObjectType('CreditSource', { simpleResolvers: true })
export class CreditSourceType {
  @Field(() => ID, { nullable: true })
  subscriptionId: string | null;

  @Field(() => [UsageRuleType])
  usageRules: UsageRuleType[];
}

@ObjectType('CreditBalance', { description: 'The AI credit wallet of the account.', simpleResolvers: true })
export class CreditBalanceType {
  @Field(() => CreditAmountType, { description: 'Recurring credits of the current period.' })
  periodicCredits: CreditAmountType;

  @Field(() => CreditAmountType, { description: 'One-time top-up credits.' })
  topUpCredits: CreditAmountType;

  @Field(() => Float, { description: 'Periodic plus top-up credits.' })
  availableCredits: number;

  @Field(() => [CreditSourceType])
  breakdown: CreditSourceType[];
}
