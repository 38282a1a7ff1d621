/**
 * A warning that repeats while a dependency stays down (Redis: every command and reconnect
 * fails) is logged once per interval; the next line counts what was suppressed meanwhile.
 */
export interface WarningSink {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Default: at most one line per 30 s per warning. */
export const WARNING_INTERVAL_MS = 30_000;

export function rateLimitedWarning(
  sink: () => WarningSink,
  message: string,
  fieldsOf: (error: unknown) => Record<string, unknown>,
  intervalMs = WARNING_INTERVAL_MS,
  now: () => number = Date.now,
): (error: unknown) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    lastAt = at;
    sink().warn({ ...fieldsOf(error), ...(suppressed > 0 ? { suppressed } : {}) }, message);
    suppressed = 0;
  };
}
