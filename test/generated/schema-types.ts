export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** A decimal number as a string, "." as separator, e.g. "12.50"; never a float. */
  Decimal: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

export type Amount = {
  __typename?: 'Amount';
  /** What the credits cost. */
  cost?: Maybe<Money>;
  credits: Scalars['Float']['output'];
};

export type ChargeCreditsInput = {
  /** What the credits cost; priced upstream when absent. */
  cost?: InputMaybe<MoneyInput>;
  /** Credits to charge; > 0. */
  credits: Scalars['Float']['input'];
  /** At most 100 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** GUID of the caller's own operation. */
  externalRefId?: InputMaybe<Scalars['ID']['input']>;
  /** GUID made once per user intent by the client; retry with the same key. */
  idempotencyKey: Scalars['ID']['input'];
  /** At most 8 KiB serialized, depth ≤ 5. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
};

export type ChargeCreditsResult = ChargeOutcomeUnknown | CreditsCharged | IdempotencyKeyReused | InsufficientCredits;

export type ChargeOutcomeUnknown = {
  __typename?: 'ChargeOutcomeUnknown';
  idempotencyKey: Scalars['ID']['output'];
  message: Scalars['String']['output'];
};

export type CreditAmount = {
  __typename?: 'CreditAmount';
  balance: Scalars['Float']['output'];
  cap?: Maybe<Scalars['Float']['output']>;
};

/** The AI credit wallet of the account. */
export type CreditBalance = {
  __typename?: 'CreditBalance';
  /** Periodic plus top-up credits. */
  availableCredits: Scalars['Float']['output'];
  breakdown: Array<CreditSource>;
  /** Recurring credits of the current period. */
  periodicCredits: CreditAmount;
  /** One-time top-up credits. */
  topUpCredits: CreditAmount;
};

export type CreditSource = {
  __typename?: 'CreditSource';
  subscriptionId?: Maybe<Scalars['ID']['output']>;
  usageRules: Array<UsageRule>;
};

/** An immutable record of one credit charge. */
export type CreditTransaction = {
  __typename?: 'CreditTransaction';
  amount?: Maybe<Amount>;
  /** The app that charged. */
  callerAppId?: Maybe<Scalars['ID']['output']>;
  createdDate?: Maybe<Scalars['DateTime']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** The caller's own reference for the operation charged. */
  externalRefId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  idempotencyKey?: Maybe<Scalars['ID']['output']>;
  metadata?: Maybe<Scalars['JSONObject']['output']>;
  /** int64 revision, as a string. */
  revision?: Maybe<Scalars['String']['output']>;
  updatedDate?: Maybe<Scalars['DateTime']['output']>;
};

export type CreditTransactionConnection = {
  __typename?: 'CreditTransactionConnection';
  edges: Array<CreditTransactionEdge>;
  nodes: Array<CreditTransaction>;
  pageInfo: PageInfo;
};

export type CreditTransactionEdge = {
  __typename?: 'CreditTransactionEdge';
  cursor: Scalars['String']['output'];
  node: CreditTransaction;
};

export type CreditTransactionFilter = {
  callerAppId?: InputMaybe<Scalars['ID']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** At most 100. */
  externalRefIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** At most 100. */
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type CreditsCharged = {
  __typename?: 'CreditsCharged';
  balance: CreditBalance;
  transaction: CreditTransaction;
};

export type IdempotencyKeyReused = {
  __typename?: 'IdempotencyKeyReused';
  idempotencyKey: Scalars['ID']['output'];
  message: Scalars['String']['output'];
};

export type InsufficientCredits = {
  __typename?: 'InsufficientCredits';
  availableCredits: Scalars['Float']['output'];
  message: Scalars['String']['output'];
  requiredCredits: Scalars['Float']['output'];
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 currency code. */
  currencyCode: Scalars['String']['output'];
  /** Localized by Wix, e.g. "$12.50". */
  formattedValue?: Maybe<Scalars['String']['output']>;
};

export type MoneyInput = {
  amount: Scalars['Decimal']['input'];
  /** ISO 4217 currency code, e.g. USD. */
  currencyCode: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Charge credits once per idempotencyKey. Business outcomes are union members; retry ChargeOutcomeUnknown with the same key and input. */
  chargeCredits: ChargeCreditsResult;
};


export type MutationChargeCreditsArgs = {
  input: ChargeCreditsInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The credit wallet of the account: periodic and top-up credits. */
  creditBalance: CreditBalance;
  /** One transaction by id; null when unknown. */
  creditTransaction?: Maybe<CreditTransaction>;
  /** Transaction history, newest first by default. */
  creditTransactions: CreditTransactionConnection;
};


export type QueryCreditTransactionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCreditTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CreditTransactionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  order?: InputMaybe<SortOrder>;
};

/** Order by creation date. */
export type SortOrder =
  | 'ASC'
  | 'DESC';

export type UsageRule = {
  __typename?: 'UsageRule';
  balance?: Maybe<Scalars['Float']['output']>;
  cap?: Maybe<Scalars['Float']['output']>;
  /** e.g. MONTH */
  period?: Maybe<Scalars['String']['output']>;
  resetDate?: Maybe<Scalars['DateTime']['output']>;
};
