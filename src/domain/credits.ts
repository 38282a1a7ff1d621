/**
 * Domain model of the AI credit wallet, independent of both the Wix JSON and GraphQL.
 * The Wix client decodes into these; the GraphQL object types expose them field for field.
 * GUID fields are `Guid`s: checked and lower-cased where they entered (see guid.ts).
 */
import type { Guid } from './guid';

export interface Money {
  /** Plain decimal string, "." separator, never a float. */
  amount: string;
  currencyCode: string;
  formattedValue: string | null;
}

export interface Amount {
  credits: number;
  cost: Money | null;
}

export interface CreditTransaction {
  id: Guid;
  /** int64 kept as a string: it may exceed 2^53. */
  revision: string | null;
  createdDate: Date | null;
  updatedDate: Date | null;
  amount: Amount | null;
  description: string | null;
  callerAppId: Guid | null;
  externalRefId: Guid | null;
  metadata: Record<string, unknown> | null;
  idempotencyKey: Guid | null;
}

export interface CreditAmount {
  balance: number;
  cap: number | null;
}

export interface UsageRule {
  period: string | null;
  balance: number | null;
  cap: number | null;
  resetDate: Date | null;
}

export interface CreditSource {
  subscriptionId: string | null;
  usageRules: UsageRule[];
}

export interface CreditBalance {
  periodicCredits: CreditAmount;
  topUpCredits: CreditAmount;
  /** periodic + top-up, summed in decimal so 0.1 + 0.2 stays 0.3. */
  availableCredits: number;
  breakdown: CreditSource[];
}

export type SortOrder = 'ASC' | 'DESC';

export interface TransactionFilter {
  ids?: Guid[];
  externalRefIds?: Guid[];
  callerAppId?: Guid;
  idempotencyKey?: Guid;
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface TransactionQuery {
  filter?: TransactionFilter;
  order?: SortOrder;
  limit?: number;
  /** Upstream cursor of a later page; filter and order are then carried by the cursor. */
  cursor?: string;
}

export interface TransactionPage {
  items: CreditTransaction[];
  nextCursor: string | null;
  hasNext: boolean;
}

/** What became of a charge. `unknown`: it happened at most once; retry with the same key. */
export type ChargeOutcome =
  | { kind: 'charged'; transaction: CreditTransaction }
  | { kind: 'insufficient'; requiredCredits: number; availableCredits: number }
  | { kind: 'keyReused' }
  | { kind: 'unknown' };

export type DefiniteChargeOutcome = Exclude<ChargeOutcome, { kind: 'unknown' }>;
