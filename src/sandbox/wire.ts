/**
 * The sandbox's own reading of the Wix AI Credits REST contract (docs/wix-api.md): the JSON it
 * accepts and the JSON it answers with. Deliberately not shared with the client in src/wix, so
 * a misreading of the contract on one side cannot move the other side with it; both sides are
 * held to the recorded exchanges in test/fixtures/wix/.
 */

/** Base path of every route. */
export const API_PATH = '/appmarket/credittransactions/v1/credit-transactions';

export interface WireMoney {
  /** Decimal string, "." separator. */
  amount: string;
  /** ISO 4217. */
  currencyCode: string;
  /** Localized, always computed upstream. */
  formattedValue?: string;
}

export interface WireTransaction {
  id: string;
  /** int64 as a string. */
  revision?: string;
  createdDate?: string;
  updatedDate?: string;
  amount?: { credits: number; cost?: WireMoney };
  description?: string;
  callerAppId?: string;
  externalRefId?: string;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface WireBalanceResponse {
  periodicCredits: { balance: number; cap?: number };
  topUpCredits?: { balance: number };
  creditBalanceBreakdown: {
    subscriptionId: string;
    usageRules: { period: string; balance: number; cap: number; resetDate: string }[];
  }[];
}

export interface WireTransactionResponse {
  creditTransaction: WireTransaction;
}

export interface WireQueryResponse {
  creditTransactions: WireTransaction[];
  pagingMetadata: { count: number; cursors: { next?: string; prev?: string }; hasNext: boolean };
}

export interface WireFieldViolation {
  field: string;
  description: string;
  violatedRule?: string;
}

export interface WireErrorBody {
  message: string;
  details: {
    applicationError?: { code: string; description: string; data: Record<string, unknown> };
    validationError?: { fieldViolations: WireFieldViolation[] };
  };
}
