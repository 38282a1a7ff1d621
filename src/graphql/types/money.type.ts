import { Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../scalars';

@ObjectType('Money', { description: 'An amount of money in one currency.', simpleResolvers: true })
export class MoneyType {
  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { description: 'ISO 4217 currency code.' })
  currencyCode: string;

  @Field(() => String, { nullable: true, description: 'Localized by Wix, e.g. "$12.50".' })
  formattedValue: string | null;
}
