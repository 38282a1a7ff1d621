/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query BalanceWidget {\n  creditBalance {\n    availableCredits\n    periodicCredits {\n      balance\n      cap\n    }\n    topUpCredits {\n      balance\n    }\n    breakdown {\n      subscriptionId\n      usageRules {\n        period\n        balance\n        cap\n        resetDate\n      }\n    }\n  }\n}": typeof types.BalanceWidgetDocument,
    "mutation ChargeCredits($input: ChargeCreditsInput!) {\n  chargeCredits(input: $input) {\n    __typename\n    ... on CreditsCharged {\n      transaction {\n        id\n        amount {\n          credits\n          cost {\n            amount\n            currencyCode\n            formattedValue\n          }\n        }\n        idempotencyKey\n        externalRefId\n      }\n      balance {\n        availableCredits\n      }\n    }\n    ... on InsufficientCredits {\n      requiredCredits\n      availableCredits\n      message\n    }\n    ... on IdempotencyKeyReused {\n      idempotencyKey\n      message\n    }\n    ... on ChargeOutcomeUnknown {\n      idempotencyKey\n      message\n    }\n    ... on BudgetExceeded {\n      budget\n      used\n      requested\n      resetsAt\n      message\n    }\n  }\n}": typeof types.ChargeCreditsDocument,
    "fragment TransactionRow on CreditTransaction {\n  id\n  createdDate\n  description\n  externalRefId\n  callerAppId\n  idempotencyKey\n  metadata\n  amount {\n    credits\n    cost {\n      amount\n      currencyCode\n      formattedValue\n    }\n  }\n}\n\nquery TransactionHistory($filter: CreditTransactionFilter, $order: SortOrder, $first: Int, $after: String) {\n  creditTransactions(filter: $filter, order: $order, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...TransactionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery TransactionDetail($id: ID!) {\n  creditTransaction(id: $id) {\n    ...TransactionRow\n    revision\n    updatedDate\n  }\n}": typeof types.TransactionRowFragmentDoc,
};
const documents: Documents = {
    "query BalanceWidget {\n  creditBalance {\n    availableCredits\n    periodicCredits {\n      balance\n      cap\n    }\n    topUpCredits {\n      balance\n    }\n    breakdown {\n      subscriptionId\n      usageRules {\n        period\n        balance\n        cap\n        resetDate\n      }\n    }\n  }\n}": types.BalanceWidgetDocument,
    "mutation ChargeCredits($input: ChargeCreditsInput!) {\n  chargeCredits(input: $input) {\n    __typename\n    ... on CreditsCharged {\n      transaction {\n        id\n        amount {\n          credits\n          cost {\n            amount\n            currencyCode\n            formattedValue\n          }\n        }\n        idempotencyKey\n        externalRefId\n      }\n      balance {\n        availableCredits\n      }\n    }\n    ... on InsufficientCredits {\n      requiredCredits\n      availableCredits\n      message\n    }\n    ... on IdempotencyKeyReused {\n      idempotencyKey\n      message\n    }\n    ... on ChargeOutcomeUnknown {\n      idempotencyKey\n      message\n    }\n    ... on BudgetExceeded {\n      budget\n      used\n      requested\n      resetsAt\n      message\n    }\n  }\n}": types.ChargeCreditsDocument,
    "fragment TransactionRow on CreditTransaction {\n  id\n  createdDate\n  description\n  externalRefId\n  callerAppId\n  idempotencyKey\n  metadata\n  amount {\n    credits\n    cost {\n      amount\n      currencyCode\n      formattedValue\n    }\n  }\n}\n\nquery TransactionHistory($filter: CreditTransactionFilter, $order: SortOrder, $first: Int, $after: String) {\n  creditTransactions(filter: $filter, order: $order, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...TransactionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery TransactionDetail($id: ID!) {\n  creditTransaction(id: $id) {\n    ...TransactionRow\n    revision\n    updatedDate\n  }\n}": types.TransactionRowFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BalanceWidget {\n  creditBalance {\n    availableCredits\n    periodicCredits {\n      balance\n      cap\n    }\n    topUpCredits {\n      balance\n    }\n    breakdown {\n      subscriptionId\n      usageRules {\n        period\n        balance\n        cap\n        resetDate\n      }\n    }\n  }\n}"): (typeof documents)["query BalanceWidget {\n  creditBalance {\n    availableCredits\n    periodicCredits {\n      balance\n      cap\n    }\n    topUpCredits {\n      balance\n    }\n    breakdown {\n      subscriptionId\n      usageRules {\n        period\n        balance\n        cap\n        resetDate\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ChargeCredits($input: ChargeCreditsInput!) {\n  chargeCredits(input: $input) {\n    __typename\n    ... on CreditsCharged {\n      transaction {\n        id\n        amount {\n          credits\n          cost {\n            amount\n            currencyCode\n            formattedValue\n          }\n        }\n        idempotencyKey\n        externalRefId\n      }\n      balance {\n        availableCredits\n      }\n    }\n    ... on InsufficientCredits {\n      requiredCredits\n      availableCredits\n      message\n    }\n    ... on IdempotencyKeyReused {\n      idempotencyKey\n      message\n    }\n    ... on ChargeOutcomeUnknown {\n      idempotencyKey\n      message\n    }\n    ... on BudgetExceeded {\n      budget\n      used\n      requested\n      resetsAt\n      message\n    }\n  }\n}"): (typeof documents)["mutation ChargeCredits($input: ChargeCreditsInput!) {\n  chargeCredits(input: $input) {\n    __typename\n    ... on CreditsCharged {\n      transaction {\n        id\n        amount {\n          credits\n          cost {\n            amount\n            currencyCode\n            formattedValue\n          }\n        }\n        idempotencyKey\n        externalRefId\n      }\n      balance {\n        availableCredits\n      }\n    }\n    ... on InsufficientCredits {\n      requiredCredits\n      availableCredits\n      message\n    }\n    ... on IdempotencyKeyReused {\n      idempotencyKey\n      message\n    }\n    ... on ChargeOutcomeUnknown {\n      idempotencyKey\n      message\n    }\n    ... on BudgetExceeded {\n      budget\n      used\n      requested\n      resetsAt\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransactionRow on CreditTransaction {\n  id\n  createdDate\n  description\n  externalRefId\n  callerAppId\n  idempotencyKey\n  metadata\n  amount {\n    credits\n    cost {\n      amount\n      currencyCode\n      formattedValue\n    }\n  }\n}\n\nquery TransactionHistory($filter: CreditTransactionFilter, $order: SortOrder, $first: Int, $after: String) {\n  creditTransactions(filter: $filter, order: $order, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...TransactionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery TransactionDetail($id: ID!) {\n  creditTransaction(id: $id) {\n    ...TransactionRow\n    revision\n    updatedDate\n  }\n}"): (typeof documents)["fragment TransactionRow on CreditTransaction {\n  id\n  createdDate\n  description\n  externalRefId\n  callerAppId\n  idempotencyKey\n  metadata\n  amount {\n    credits\n    cost {\n      amount\n      currencyCode\n      formattedValue\n    }\n  }\n}\n\nquery TransactionHistory($filter: CreditTransactionFilter, $order: SortOrder, $first: Int, $after: String) {\n  creditTransactions(filter: $filter, order: $order, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...TransactionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery TransactionDetail($id: ID!) {\n  creditTransaction(id: $id) {\n    ...TransactionRow\n    revision\n    updatedDate\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;