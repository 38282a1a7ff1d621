/**
 * Production call policies, built on cockatiel:
 *  - reads retry transient failures (connection errors, attempt timeouts, 500/502/503/504, and
 *    429 when it says when to come back) with capped exponential backoff and full jitter, at
 *    most `maxAttempts` attempts, never past the request's deadline;
 *  - each operation class (reads, charges) has its own circuit breaker that counts only
 *    upstream failures, never business answers (4xx), and lets one probe through when half-open.
 * Charges get the breaker alone: resending a charge is the charge service's decision.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import { backoffDelayMs, waitUnlessAborted, type BackoffOptions } from '../common/backoff';
import {
  WixCircuitOpenError,
  WixError,
  WixHttpError,
  WixTimeoutError,
  isTransientFailure,
  type WixOperation,
} from './wix-errors';
import type { CallSignal } from '../domain/upstream-call';
import type { AttemptContext, CallOptions, WixCallPolicy } from './wix-policy';

export interface RetryPolicyOptions {
  /** Total attempts for a read, first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A 429 is retried only when its Retry-After is at most this long. */
  maxRetryAfterMs: number;
  /** Consecutive upstream failures that open a breaker. */
  breakerThreshold: number;
  /** How long an open breaker fails fast before letting one probe through. */
  halfOpenAfterMs: number;
}

// Defaults: TIMING_DEFAULTS in config.ts, passed in by gateway.ts. The breaker threshold of 12:
// at 30 % failed attempts a run of 12 has p ≈ 5e-7, so partial outages that retries absorb keep
// it closed, while a full outage opens it after four reads (three attempts each) have failed.

function retryAfterMs(error: unknown): number | null {
  return error instanceof WixHttpError && error.status === 429 && error.retryAfterSeconds !== null
    ? error.retryAfterSeconds * 1000
    : null;
}

/** Ends cockatiel's retries when the deadline has passed, carrying the error the call ends with. */
class DeadlinePassed {
  constructor(readonly error: unknown) {}
}

/**
 * Runs an operation: cockatiel's retry (which failures, how many attempts) around cockatiel's
 * breaker. The wait between attempts (capped exponential backoff with full jitter, never less
 * than a 429's Retry-After) is slept here rather than by cockatiel, whose delay cannot be
 * aborted: a deadline that passes during a backoff ends the call at once and leaves no timer.
 * The deadline is watched here too, not handed to cockatiel, which takes only an AbortSignal
 * (one made per call was a measurable cost on Node 20, see common/abortable.ts): a deadline
 * that has passed when an attempt fails ends the retries with that attempt's error.
 */
class CockatielCallPolicy implements WixCallPolicy {
  constructor(
    private readonly breaker: CircuitBreakerPolicy,
    private readonly retrying?: { policy: RetryPolicy; backoff: BackoffOptions },
  ) {}

  async execute<T>(
    operation: WixOperation,
    signal: CallSignal | undefined,
    attempt: (ctx: AttemptContext) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    let attempts = 0;
    let lastError: unknown;
    const run = async () => {
      try {
        return await attempt({ signal, attempt: ++attempts });
      } catch (error) {
        lastError = error;
        throw error;
      }
    };
    const once = () => {
      if (!options.callerInput) return this.breaker.execute(run);
      // Outside the breaker's accounting (a caller's own input must not open it for everyone),
      // but not past it: while it is open or probing, this call fails fast like any other.
      if (this.breaker.state !== CircuitState.Closed) throw new WixCircuitOpenError(operation);
      return run();
    };
    try {
      if (!this.retrying) return await once();
      const { policy, backoff } = this.retrying;
      return await policy.execute(async (context) => {
        if (context.attempt > 0) {
          if (signal?.aborted) throw new DeadlinePassed(lastError);
          // The retry policy only retries a 429 whose Retry-After is within the cap.
          const wait = backoffDelayMs(backoff, context.attempt, retryAfterMs(lastError)) ?? 0;
          if (!(await waitUnlessAborted(wait, signal))) {
            // The deadline passed while waiting: the call ends as a timeout, with no more attempts.
            throw new DeadlinePassed(new WixTimeoutError(operation, null));
          }
        }
        return once();
      });
    } catch (caught) {
      const error = caught instanceof DeadlinePassed ? caught.error : caught;
      if (error instanceof BrokenCircuitError) throw new WixCircuitOpenError(operation);
      if (error instanceof WixError) throw error;
      // Anything else thrown once the deadline has passed is the deadline passing.
      if (signal?.aborted) throw new WixTimeoutError(operation, null);
      throw error;
    }
  }
}

export interface CallPolicies {
  read: WixCallPolicy;
  charge: WixCallPolicy;
  readBreaker: CircuitBreakerPolicy;
  chargeBreaker: CircuitBreakerPolicy;
}

export function createCallPolicies(o: RetryPolicyOptions): CallPolicies {
  const breaker = () =>
    circuitBreaker(handleWhen(isTransientFailure), {
      halfOpenAfter: o.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(o.breakerThreshold),
    });
  const readBreaker = breaker();
  const chargeBreaker = breaker();
  const readRetry = retry(
    handleWhen((error) => {
      if (isTransientFailure(error)) return true;
      const wait = retryAfterMs(error);
      return wait !== null && wait <= o.maxRetryAfterMs;
    }),
    // No delay of cockatiel's own: CockatielCallPolicy sleeps the backoff, abortably.
    { maxAttempts: Math.max(0, o.maxAttempts - 1), backoff: new ConstantBackoff(0) },
  );
  const readBackoff: BackoffOptions = {
    initialDelayMs: o.initialDelayMs,
    maxDelayMs: o.maxDelayMs,
    maxRetryAfterMs: o.maxRetryAfterMs,
  };
  return {
    read: new CockatielCallPolicy(readBreaker, { policy: readRetry, backoff: readBackoff }),
    charge: new CockatielCallPolicy(chargeBreaker),
    readBreaker,
    chargeBreaker,
  };
}

export { CircuitState };
