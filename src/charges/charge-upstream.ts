/**
 * The port through which the charge service reaches the upstream ledger. The service owns this
 * contract; `src/wix/wix-charge-upstream.ts` implements it for Wix. Every HTTP status, error code,
 * number format and byte of the wire format is read behind the port: only classified results
 * cross it, so the attempt's decisions can be tested with a fake upstream.
 */
import type { CreditTransaction } from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';
import type { Guid } from '../domain/guid';
import type { CallSignal, UpstreamCallOptions } from '../domain/upstream-call';
import type { UpstreamError } from '../domain/upstream-errors';

/** Whose credentials a call carries and when it must give up (the request's deadline). */
export type UpstreamCall = UpstreamCallOptions & { signal: CallSignal };

/**
 * A charge request in its wire form, fixed once: every send of one prepared charge carries the
 * same bytes, so a resend under the key is byte-identical to the first send.
 */
export interface PreparedCharge {
  readonly request: ChargeRequest;
}

/** A call that failed without saying anything about the charge. */
export interface UpstreamFailure {
  /** What the client is told when the charge ends on this failure (the GraphQL layer maps it). */
  error: UpstreamError;
  /**
   * Worth another try before the deadline: transient trouble, a rate limit, a conflict. False:
   * fail fast (credentials rejected, a bad request, the circuit breaker open).
   */
  retryable: boolean;
  /** The upstream's own wait before trying again (Retry-After), when it gave one. */
  retryAfterMs: number | null;
}

/** What one send of a charge came to. */
export type SendResult =
  /** Debited (or, from a deduplicating upstream, the transaction recorded earlier under the key). */
  | { kind: 'charged'; transaction: CreditTransaction }
  /** Refused for lack of credits: nothing debited by this send. */
  | { kind: 'insufficient'; requiredCredits: number; availableCredits: number }
  /** The upstream holds another input under this key. */
  | { kind: 'keyReused' }
  /** Refused before any effect (rate limited, conflict, not connected, breaker open): nothing debited. */
  | { kind: 'refusedNoEffect'; failure: UpstreamFailure }
  /** No answer, or a 5xx: it may have been debited, or may still be. */
  | { kind: 'fateUnknown'; failure: UpstreamFailure };

/** What a lookup of the key came to. */
export type LookupResult =
  | { kind: 'found'; transaction: CreditTransaction }
  | { kind: 'notFound' }
  | { kind: 'failed'; failure: UpstreamFailure };

export interface ChargeUpstream {
  prepare(request: ChargeRequest): PreparedCharge;
  /** One send, never retried here: whether and when to resend is the attempt's decision. */
  send(call: UpstreamCall, charge: PreparedCharge): Promise<SendResult>;
  /** The transaction recorded under the key, as of the moment the lookup started. */
  lookUp(call: UpstreamCall, idempotencyKey: Guid): Promise<LookupResult>;
  /** The error a charge that sent nothing ends with when its deadline passes before any answer. */
  deadlineError(): UpstreamError;
}
