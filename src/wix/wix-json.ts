/**
 * JSON shapes of the Wix AI Credits REST contract (see shared/wix-ai-credits-api.md).
 * The client decodes *into* the domain types tolerantly (numbers may be strings, fields may be
 * missing), so these types describe what a well-behaved upstream sends; the embedded sandbox
 * produces exactly these.
 */

/** Numbers may arrive as JSON numbers or numeric strings. */
export type WixNumber = number | string;

export interface WixMoney {
  amount: string;
  currencyCode: string;
  formattedValue?: string;
}

export interface WixAmount {
  credits: WixNumber;
  cost?: WixMoney;
}

export interface WixCreditTransaction {
  id: string;
  revision?: string;
  createdDate?: string;
  updatedDate?: string;
  amount?: WixAmount;
  description?: string;
  callerAppId?: string;
  externalRefId?: string;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface WixCreditAmount {
  balance: WixNumber;
  cap?: WixNumber;
}

export interface WixUsageRule {
  period?: string;
  balance?: WixNumber;
  cap?: WixNumber;
  resetDate?: string;
}

export interface WixCreditSource {
  subscriptionId?: string;
  usageRules?: WixUsageRule[];
}

export interface WixGetBalanceResponse {
  periodicCredits?: WixCreditAmount;
  topUpCredits?: WixCreditAmount;
  creditBalanceBreakdown?: WixCreditSource[];
}

export interface WixChargeRequest {
  amount: { credits: number; cost?: { amount: string; currencyCode: string } };
  description?: string;
  externalRefId?: string;
  metadata?: Record<string, unknown>;
  idempotencyKey: string;
}

export interface WixTransactionResponse {
  creditTransaction: WixCreditTransaction;
}

export type WixFilterOperator = '$eq' | '$ne' | '$in' | '$nin' | '$gt' | '$gte' | '$lt' | '$lte';
/** A field filter: a bare value means `$eq`. */
export type WixFieldFilter = string | Partial<Record<WixFilterOperator, string | string[]>>;
export type WixFilterField = 'id' | 'externalRefId' | 'callerAppId' | 'idempotencyKey' | 'createdDate';
export type WixFilter = Partial<Record<WixFilterField, WixFieldFilter>>;

export interface WixSort {
  fieldName: 'createdDate';
  order?: 'ASC' | 'DESC';
}

export interface WixQueryRequest {
  query: {
    filter?: WixFilter;
    sort?: WixSort[];
    cursorPaging?: { limit?: number; cursor?: string };
  };
}

export interface WixPagingMetadata {
  count?: number;
  cursors?: { next?: string; prev?: string };
  hasNext?: boolean;
}

export interface WixQueryResponse {
  creditTransactions?: WixCreditTransaction[];
  pagingMetadata?: WixPagingMetadata;
}

export interface WixFieldViolation {
  field: string;
  description: string;
  violatedRule?: string;
}

export interface WixErrorBody {
  message?: string;
  details?: {
    applicationError?: { code: string; description?: string; data?: Record<string, unknown> };
    validationError?: { fieldViolations: WixFieldViolation[] };
  };
}

/** Base path of every route. */
export const CREDIT_TRANSACTIONS_PATH = '/appmarket/credittransactions/v1/credit-transactions';
