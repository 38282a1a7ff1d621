/**
 * The port through which the reader reaches the upstream: the three reads it makes. The reader
 * owns this contract; `WixClient` (src/wix) implements it, and unit tests can stand a scripted
 * upstream behind it.
 */
import type { CreditBalance, CreditTransaction, TransactionPage, TransactionQuery } from '../domain/credits';
import type { Guid } from '../domain/guid';
import type { CallSignal, UpstreamCallOptions } from '../domain/upstream-call';

/** Whose credentials a read carries, the tenant they make, and when it must give up. */
export type ReadCall = UpstreamCallOptions & { tenant: string; signal: CallSignal };

/**
 * Most items the reader asks for in one read: a query's `limit`, and the ids its loader hands
 * `getTransactionsByIds` at once. An implementation answers either with one upstream request
 * (Wix's query limit is 100), so one loader batch is one upstream call.
 */
export const READ_BATCH_SIZE = 100;

/**
 * The upstream refused input a caller chose (`callerInput`: a cursor from their `after`): the
 * caller's mistake, not an upstream failure. Implementations throw it instead of their own error.
 */
export class CallerInputRejectedError extends Error {
  override readonly name = 'CallerInputRejectedError';
}

export interface ReadUpstream {
  getBalance(options: UpstreamCallOptions): Promise<CreditBalance>;
  /** Results in input order, null for unknown ids; batches of any size. */
  getTransactionsByIds(options: UpstreamCallOptions, ids: readonly Guid[]): Promise<(CreditTransaction | null)[]>;
  /**
   * `callerInput`: the query resumes from a cursor a caller handed back (not a breaker failure);
   * the upstream refusing it rejects with CallerInputRejectedError.
   */
  queryTransactions(
    options: UpstreamCallOptions,
    query: TransactionQuery,
    callOptions?: { callerInput?: boolean },
  ): Promise<TransactionPage>;
}
