/** The one backoff of reads and charges: bounds, Retry-After, and an abortable wait. */
import { backoffDelayMs, waitUnlessAborted } from '../../src/common/backoff';
import { TIMING_DEFAULTS } from '../../src/config';

const options = { initialDelayMs: 50, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 };

test('full jitter under a ceiling that doubles per retry and stops at maxDelayMs', () => {
  expect(backoffDelayMs(options, 1, null, () => 0.999)).toBeCloseTo(49.95);
  expect(backoffDelayMs(options, 3, null, () => 0.999)).toBeCloseTo(199.8);
  expect(backoffDelayMs(options, 20, null, () => 0.999)).toBeCloseTo(999);
  expect(backoffDelayMs(options, 2, null, () => 0)).toBe(0);
});

test('a Retry-After within the cap is waited for at least; beyond the cap means no retry', () => {
  expect(backoffDelayMs(options, 1, 1_500, () => 0.5)).toBe(1_500);
  expect(backoffDelayMs(options, 1, 2_001, () => 0.5)).toBeNull();
});

test('the defaults live in config.ts', () => {
  expect(TIMING_DEFAULTS.backoff).toEqual(options);
});

test('an abort ends the wait at once: false, and no timer left behind', async () => {
  const controller = new AbortController();
  const waiting = waitUnlessAborted(60_000, controller.signal);
  controller.abort();
  await expect(waiting).resolves.toBe(false);
  await expect(waitUnlessAborted(60_000, AbortSignal.abort())).resolves.toBe(false);
  await expect(waitUnlessAborted(1)).resolves.toBe(true);
});
