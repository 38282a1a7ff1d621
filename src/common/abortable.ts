/**
 * One deadline per request: a single timer, armed the first time something watches the deadline
 * (a `{ __typename }` request never arms one) and cleared when the request ends. This replaces an
 * `AbortSignal.timeout` per request plus an `AbortSignal.timeout` and an `AbortSignal.any` per
 * upstream attempt: on Node 20 those cost a WeakRef and a FinalizationRegistry entry each, keep
 * their timer until it fires, and `any` leaked listeners on the long-lived signal under load
 * (MaxListenersExceededWarning). Times come from the global `performance.now()` (monotonic).
 *
 * The upstream path watches a deadline (an AbortSource) directly, through `aborted`, `reason` and
 * `whenAborted`; no AbortSignal is made for it. On Node 20, measured per request under load
 * (paired runs): an AbortController made per request with an `abort` EventTarget listener added
 * and removed per call cost ~43 µs of CPU, and the controller alone (with a direct subscriber)
 * still ~34 µs.
 */

/** Something that aborts, watched without an EventTarget: an AbortSource. */
export interface AbortWatch {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once when it aborts; returns a function that removes it. */
  subscribe(listener: () => void): () => void;
}

/** What cancellable work watches: an AbortSignal, or an AbortSource. */
export type Cancellation = AbortSignal | AbortWatch;

type Listener = () => void;

/** An abort without an AbortController or AbortSignal. */
export class AbortSource implements AbortWatch {
  private abortedWith: { reason: unknown } | null = null;
  /** Called once, when it aborts. */
  private listeners: Set<Listener> | null = null;

  get aborted(): boolean {
    this.watched();
    return this.abortedWith !== null;
  }

  get reason(): unknown {
    this.watched();
    return this.abortedWith?.reason;
  }

  abort(reason: unknown): void {
    if (this.abortedWith) return;
    this.abortedWith = { reason };
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }

  subscribe(listener: Listener): () => void {
    this.watched();
    if (this.abortedWith) return () => undefined; // as an EventTarget: no event comes any more
    const listeners = (this.listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Something watches this source (a deadline arms its timer then). */
  protected watched(): void {}

  /** Nothing will wait any more: subscribers are let go. */
  protected release(): void {
    this.listeners = null;
  }
}

export class RequestDeadline extends AbortSource {
  private timer: NodeJS.Timeout | null = null;
  private armed = false;
  private readonly endsAt: number;

  constructor(
    readonly ms: number,
    startedAt: number = performance.now(),
  ) {
    super();
    this.endsAt = startedAt + ms;
  }

  /** Aborts with a TimeoutError (as `AbortSignal.timeout` does) when the deadline passes. */
  protected override watched(): void {
    if (this.armed) return;
    this.armed = true;
    const remaining = this.endsAt - performance.now();
    const abort = () => {
      this.timer = null;
      this.abort(new DOMException('The request deadline passed.', 'TimeoutError'));
    };
    if (remaining <= 0) {
      abort();
    } else {
      this.timer = setTimeout(abort, remaining);
      this.timer.unref();
    }
  }

  /** The request has ended: its timer goes now instead of when it would have fired. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.release();
  }
}

function isAbortWatch(cancellation: Cancellation): cancellation is AbortWatch {
  return typeof (cancellation as Partial<AbortWatch>).subscribe === 'function';
}

/**
 * Runs `listener` once when `cancellation` aborts (not when it already has: check `aborted`
 * first); returns a function that unsubscribes it. An AbortSignal is listened to as an EventTarget.
 */
export function whenAborted(cancellation: Cancellation, listener: Listener): () => void {
  if (isAbortWatch(cancellation)) return cancellation.subscribe(listener);
  cancellation.addEventListener('abort', listener, { once: true });
  return () => cancellation.removeEventListener('abort', listener);
}
