/**
 * How a client operation is attempted: how many times, with which backoff, behind which
 * circuit breaker. The client stays free of that logic; `retry-policy.ts` provides the
 * production policy and tests may pass their own.
 */
import type { CallSignal } from '../domain/upstream-call';
import type { WixOperation } from './wix-errors';

export interface AttemptContext {
  /** Aborts when the caller's deadline passes (or the policy gives up). */
  signal: CallSignal | undefined;
  attempt: number;
}

export interface CallOptions {
  /**
   * The call carries input a caller chose (a cursor from their `after`): its failure may be of
   * their making, so it must not count against everyone else. A breaker that is not closed
   * still fails such a call fast, but the call's outcome is never recorded by the breaker.
   */
  callerInput?: boolean;
}

export interface WixCallPolicy {
  /** Runs `attempt` once or more; resolves with its first success or rejects with a WixError. */
  execute<T>(
    operation: WixOperation,
    signal: CallSignal | undefined,
    attempt: (ctx: AttemptContext) => Promise<T>,
    options?: CallOptions,
  ): Promise<T>;
}

/** One attempt, no retry: what a policy-less client does. */
export const singleAttemptPolicy: WixCallPolicy = {
  execute: (_operation, signal, attempt) => attempt({ signal, attempt: 1 }),
};
