/**
 * Time in tests. The machines running these suites are shared and often saturated, so a timer
 * or a loopback answer can be late by seconds: a test may assert that something happened
 * *no earlier* than a bound (timers never fire early), but an upper bound is always the
 * configured bound plus LOAD_HEADROOM_MS, and the bound is chosen so that the behaviour under
 * test would miss it by far more than the headroom.
 */
import { performance } from 'node:perf_hooks';

/** How late a timer or a loopback round trip may be on a busy machine (TEST_LOAD_HEADROOM_MS). */
export const LOAD_HEADROOM_MS = Number(process.env.TEST_LOAD_HEADROOM_MS ?? 3_000);

export const delay = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` and measures its wall-clock duration. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/**
 * Polls `condition` every `intervalMs` until it holds; rejects after `timeoutMs` (default: the
 * load headroom) with `what` in the message.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = LOAD_HEADROOM_MS,
    intervalMs = 5,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`waitUntil: ${what} did not hold within ${timeoutMs} ms`);
    await delay(intervalMs);
  }
}
