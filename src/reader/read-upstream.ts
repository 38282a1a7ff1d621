/**
 * The port through which the reader reaches the upstream: the three reads it makes. The reader
 * owns this contract; `WixClient` (src/wix) implements it, and unit tests can stand a scripted
 * upstream behind it.
 */
import type { CreditBalance, CreditTransaction, TransactionPage, TransactionQuery } from '../domain/credits';
import type { Guid } from '../domain/guid';
import type { WixCallOptions } from '../wix/wix-client';

/** Whose credentials a read carries, the tenant they make, and when it must give up. */
export type ReadCall = WixCallOptions & { tenant: string; signal: AbortSignal };

export interface ReadUpstream {
  getBalance(options: WixCallOptions): Promise<CreditBalance>;
  /** Results in input order, null for unknown ids; batches of any size. */
  getTransactionsByIds(options: WixCallOptions, ids: readonly Guid[]): Promise<(CreditTransaction | null)[]>;
  /** `callerInput`: the query resumes from a cursor a caller handed back (not a breaker failure). */
  queryTransactions(
    options: WixCallOptions,
    query: TransactionQuery,
    callOptions?: { callerInput?: boolean },
  ): Promise<TransactionPage>;
}
