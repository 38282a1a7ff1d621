/**
 * A warning that repeats while a dependency stays down (Redis: every command and reconnect
 * fails) is logged once per interval; the next line counts what was suppressed meanwhile.
 */
export interface WarningSink {
  warn(fields: Record<string, unknown>, message: string): void;
}

export function rateLimitedWarning(
  sink: () => WarningSink,
  message: string,
  fieldsOf: (error: unknown) => Record<string, unknown>,
  /** At most one line per this (TIMING_DEFAULTS.warningIntervalMs). */
  intervalMs: number,
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
