import { Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import { MAX_FILTER_IDS } from '../argument-limits';
import { DateTimeScalar, DecimalScalar, JSONObjectScalar } from '../scalars';
import { MAX_DESCRIPTION_LENGTH } from '../validation/charge-input.validation';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder', description: 'Order by creation date.' });

@InputType('CreditTransactionFilter')
export class CreditTransactionFilterInput {
  @Field(() => [ID], { nullable: true, description: `At most ${MAX_FILTER_IDS}.` })
  ids?: string[] | null;

  @Field(() => [ID], { nullable: true, description: `At most ${MAX_FILTER_IDS}.` })
  externalRefIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  callerAppId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdAfter?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdBefore?: Date | null;
}

@InputType('MoneyInput')
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. USD.' })
  currencyCode: string;
}

@InputType('ChargeCreditsInput')
export class ChargeCreditsInput {
  @Field(() => Float, { description: 'Credits to charge; > 0.' })
  credits: number;

  @Field(() => MoneyInput, { nullable: true, description: 'What the credits cost; priced upstream when absent.' })
  cost?: MoneyInput | null;

  @Field(() => String, { nullable: true, description: `At most ${MAX_DESCRIPTION_LENGTH} characters.` })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "GUID of the caller's own operation." })
  externalRefId?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'At most 8 KiB serialized, depth ≤ 5.' })
  metadata?: Record<string, unknown> | null;

  @Field(() => ID, { description: 'GUID made once per user intent by the client; retry with the same key.' })
  idempotencyKey: string;
}
