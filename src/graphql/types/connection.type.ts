import { Field, ObjectType } from 'type-graphql';
import { CreditTransactionType } from './credit-transaction.type';

@ObjectType('PageInfo', { simpleResolvers: true })
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('CreditTransactionEdge', { simpleResolvers: true })
export class CreditTransactionEdgeType {
  @Field(() => String)
  cursor: string;

  @Field(() => CreditTransactionType)
  node: CreditTransactionType;
}

@ObjectType('CreditTransactionConnection', { simpleResolvers: true })
export class CreditTransactionConnectionType {
  @Field(() => [CreditTransactionEdgeType])
  edges: CreditTransactionEdgeType[];

  @Field(() => [CreditTransactionType])
  nodes: CreditTransactionType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;
}
