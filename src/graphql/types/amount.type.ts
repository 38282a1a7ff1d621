import { Field, Float, ObjectType } from 'type-graphql';
import { MoneyType } from './money.type';

@ObjectType('Amount', { simpleResolvers: true })
export class AmountType {
  @Field(() => Float)
  credits: number;

  @Field(() => MoneyType, { nullable: true, description: 'What the credits cost.' })
  cost: MoneyType | null;
}
