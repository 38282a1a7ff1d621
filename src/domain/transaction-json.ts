/**
 * Domain transactions as JSON for shared stores (Redis): dates as ISO strings, revived on read.
 */
import type { CreditTransaction } from './credits';

type StoredTransaction = Omit<CreditTransaction, 'createdDate' | 'updatedDate'> & {
  createdDate: string | null;
  updatedDate: string | null;
};

export function transactionToJson(tx: CreditTransaction): StoredTransaction {
  return {
    ...tx,
    createdDate: tx.createdDate?.toISOString() ?? null,
    updatedDate: tx.updatedDate?.toISOString() ?? null,
  };
}

export function transactionFromJson(stored: StoredTransaction): CreditTransaction {
  return {
    ...stored,
    createdDate: stored.createdDate === null ? null : new Date(stored.createdDate),
    updatedDate: stored.updatedDate === null ? null : new Date(stored.updatedDate),
  };
}

export type { StoredTransaction };
