/**
 * The one wait between attempts, for reads (src/wix/retry-policy.ts) and charges
 * (src/charges): capped exponential backoff with full jitter, never shorter than the upstream's
 * Retry-After (which past `maxRetryAfterMs` means "do not retry"), slept abortably so a request's
 * deadline ends the wait at once and leaves no timer. Defaults: TIMING_DEFAULTS.backoff.
 */
import { type Cancellation, whenAborted } from './abortable';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number;
}

/**
 * The wait before retry number `retry` (1 for the first retry): uniform in
 * [0, min(maxDelay, initialDelay · 2^(retry−1))], raised to `retryAfterMs` when the upstream
 * asked for that. `null` when the Retry-After exceeds the cap: the caller should not retry.
 */
export function backoffDelayMs(
  options: BackoffOptions,
  retry: number,
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): number | null {
  if (retryAfterMs !== null && retryAfterMs > options.maxRetryAfterMs) return null;
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.max(random() * ceiling, retryAfterMs ?? 0);
}

/** Sleeps `ms`, or less when `signal` aborts first: resolves true when the full wait elapsed. */
export function waitUnlessAborted(ms: number, signal?: Cancellation): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const unsubscribe = signal
      ? whenAborted(signal, () => {
          clearTimeout(timer);
          resolve(false);
        })
      : null;
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve(true);
    }, ms);
  });
}
