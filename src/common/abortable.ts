/**
 * One deadline per request: a single timer and AbortController, armed the first time something
 * asks for the signal (a `{ __typename }` request never arms one) and cleared when the request
 * ends. This replaces an `AbortSignal.timeout` per request plus an `AbortSignal.timeout` and an
 * `AbortSignal.any` per upstream attempt: on Node 20 those cost a WeakRef and a
 * FinalizationRegistry entry each, keep their timer until it fires, and `any` leaked listeners
 * on the long-lived signal under load (MaxListenersExceededWarning). Times come from the global
 * `performance.now()` (monotonic).
 */

export class RequestDeadline {
  private controller: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly endsAt: number;

  constructor(
    readonly ms: number,
    startedAt: number = performance.now(),
  ) {
    this.endsAt = startedAt + ms;
  }

  /** Aborts (with a TimeoutError, as `AbortSignal.timeout` does) when the deadline passes. */
  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const remaining = this.endsAt - performance.now();
    const abort = () => controller.abort(new DOMException('The request deadline passed.', 'TimeoutError'));
    if (remaining <= 0) {
      abort();
    } else {
      this.timer = setTimeout(abort, remaining);
      this.timer.unref();
    }
    return controller.signal;
  }

  /** The request has ended: its timer goes now instead of when it would have fired. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
