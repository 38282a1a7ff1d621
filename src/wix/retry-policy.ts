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
  ExponentialBackoff,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { WixCircuitOpenError, WixError, WixHttpError, WixTimeoutError, type WixOperation } from './wix-errors';
import type { AttemptContext, WixCallPolicy } from './wix-policy';

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

export const defaultRetryPolicyOptions: RetryPolicyOptions = {
  maxAttempts: 3,
  initialDelayMs: 50,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 2_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 5_000,
};

/** Failures that say the upstream is unwell: these count for breakers. */
export function isUpstreamFailure(error: unknown): boolean {
  if (!(error instanceof WixError)) return false;
  if (error.kind === 'timeout' || error.kind === 'connection' || error.kind === 'decode') return true;
  return error instanceof WixHttpError && [500, 502, 503, 504].includes(error.status);
}

function retryAfterMs(error: unknown): number | null {
  return error instanceof WixHttpError && error.status === 429 && error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : null;
}

/** Exponential backoff with full jitter that never waits less than a 429's Retry-After. */
function retryAfterAware(inner: IBackoffFactory<unknown>): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
      const step = inner.next(context);
      const error = 'error' in context.result ? context.result.error : undefined;
      return { duration: Math.max(step.duration, retryAfterMs(error) ?? 0), next: retryAfterAware(step).next };
    },
  };
}

class CockatielCallPolicy implements WixCallPolicy {
  constructor(
    private readonly policy: IPolicy,
    private readonly timeoutMs: number,
  ) {}

  async execute<T>(operation: WixOperation, signal: AbortSignal | undefined, attempt: (ctx: AttemptContext) => Promise<T>): Promise<T> {
    let attempts = 0;
    try {
      return await this.policy.execute((context) => attempt({ signal: context.signal, attempt: ++attempts }), signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new WixCircuitOpenError(operation);
      if (error instanceof WixError) throw error;
      // cockatiel reports an abort during backoff as its own error: that is our deadline passing.
      if (signal?.aborted) throw new WixTimeoutError(operation, this.timeoutMs);
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

export function createCallPolicies(attemptTimeoutMs: number, overrides: Partial<RetryPolicyOptions> = {}): CallPolicies {
  const o = { ...defaultRetryPolicyOptions, ...overrides };
  const breaker = () =>
    circuitBreaker(handleWhen(isUpstreamFailure), { halfOpenAfter: o.halfOpenAfterMs, breaker: new ConsecutiveBreaker(o.breakerThreshold) });
  const readBreaker = breaker();
  const chargeBreaker = breaker();
  const readRetry = retry(
    handleWhen((error) => {
      if (isUpstreamFailure(error)) return true;
      const wait = retryAfterMs(error);
      return wait !== null && wait <= o.maxRetryAfterMs;
    }),
    {
      maxAttempts: o.maxAttempts - 1,
      backoff: retryAfterAware(
        new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: o.initialDelayMs, maxDelay: o.maxDelayMs }),
      ),
    },
  );
  return {
    read: new CockatielCallPolicy(wrap(readRetry, readBreaker), attemptTimeoutMs),
    charge: new CockatielCallPolicy(chargeBreaker, attemptTimeoutMs),
    readBreaker,
    chargeBreaker,
  };
}

export { CircuitState };
