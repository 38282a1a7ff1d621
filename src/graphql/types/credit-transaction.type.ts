import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONObjectScalar } from '../scalars';
import { AmountType } from './amount.type';

@Directive('@key(fields: "id")')
@ObjectType('CreditTransaction', { description: 'An immutable record of one credit charge.', simpleResolvers: true })
export class CreditTransactionType {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'int64 revision, as a string.' })
  revision: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdDate: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  updatedDate: Date | null;

  @Field(() => AmountType, { nullable: true })
  amount: AmountType | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => ID, { nullable: true, description: 'The app that charged.' })
  callerAppId: string | null;

  @Field(() => ID, { nullable: true, description: "The caller's own reference for the operation charged." })
  externalRefId: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  metadata: Record<string, unknown> | null;

  @Field(() => ID, { nullable: true })
  idempotencyKey: string | null;
}
