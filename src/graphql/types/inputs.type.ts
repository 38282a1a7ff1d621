import { Extensions, Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import { limitsOf } from '../declared-limits';
import { DateTimeScalar, DecimalScalar, JSONObjectScalar } from '../scalars';
import { chargeFieldDescription, moneySchema, type ChargeRequestInput } from '../../domain/charge-request';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder', description: 'Order by creation date.' });

/** Ids one filter may name: one upstream query (Wix's `$in` takes as many as a page holds). */
export const MAX_FILTER_IDS = 100;

// The limits are declared here and enforced by the argument-limits plugin before any resolver runs.
@InputType('CreditTransactionFilter')
export class CreditTransactionFilterInput {
  @Extensions(limitsOf({ maxItems: MAX_FILTER_IDS, guid: true }))
  @Field(() => [ID], { nullable: true, description: `At most ${MAX_FILTER_IDS} GUIDs (any letter case).` })
  ids?: string[] | null;

  @Extensions(limitsOf({ maxItems: MAX_FILTER_IDS, guid: true }))
  @Field(() => [ID], { nullable: true, description: `At most ${MAX_FILTER_IDS} GUIDs (any letter case).` })
  externalRefIds?: string[] | null;

  @Extensions(limitsOf({ guid: true }))
  @Field(() => ID, { nullable: true, description: 'A GUID (any letter case).' })
  callerAppId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdAfter?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdBefore?: Date | null;
}

/*
 * The charge input as GraphQL declares it. What a valid charge is, and each field's description,
 * come from the one definition, domain/charge-request.ts; `implements` keeps the two in step.
 */
@InputType('MoneyInput')
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { description: moneySchema.shape.currencyCode.description })
  currencyCode: string;
}

@InputType('ChargeCreditsInput')
export class ChargeCreditsInput implements ChargeRequestInput {
  @Field(() => Float, { description: chargeFieldDescription('credits') })
  credits: number;

  @Field(() => MoneyInput, { nullable: true, description: chargeFieldDescription('cost') })
  cost?: MoneyInput | null;

  @Field(() => String, { nullable: true, description: chargeFieldDescription('description') })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: chargeFieldDescription('externalRefId') })
  externalRefId?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: chargeFieldDescription('metadata') })
  metadata?: Record<string, unknown> | null;

  @Field(() => ID, { description: chargeFieldDescription('idempotencyKey') })
  idempotencyKey: string;
}
