import { Field, ObjectType } from 'type-graphql';
import { CreditTransactionType } from './credit-transaction.type';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('CreditTransactionEdge')
export class CreditTransactionEdgeType {
  @Field(() => String)
  cursor: string;

  @Field(() => CreditTransactionType)
  node: CreditTransactionType;
}

@ObjectType('CreditTransactionConnection')
export class CreditTransactionConnectionType {
  @Field(() => [CreditTransactionEdgeType])
  edges: CreditTransactionEdgeType[];

  @Field(() => [CreditTransactionType])
  nodes: CreditTransactionType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;
}
