/**
 * One upstream request through undici's dispatcher with a handler of our own that buffers the
 * answer. Upstream answers are untrusted: a body is read up to a byte bound
 * (WIX_MAX_RESPONSE_BYTES), and one over it is cut off (the request aborted) rather than
 * buffered whole.
 *
 * Why not `pool.request()`: it wraps every answer in a Readable stream (stream state, listeners,
 * 'end' and 'close' on later ticks) and an AsyncResource, and parses every response header into
 * an object, only for us to read the body whole and two headers. Here chunks go straight into an
 * array and only `x-wix-request-id` and `retry-after` are decoded. What undici does stays:
 * keep-alive pool, header and body timeouts, the abort signal, its error codes.
 */
import type { Dispatcher, Pool } from 'undici';
import { whenAborted } from '../common/abortable';
import type { CallSignal } from '../domain/upstream-call';

export const DEFAULT_WIX_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface BufferedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
  signal?: CallSignal;
  headersTimeout: number;
  bodyTimeout: number;
}

type Abort = (reason?: Error) => void;

const REQUEST_ID = 'x-wix-request-id';
const RETRY_AFTER = 'retry-after';

/** What an aborted request rejects with: the signal's reason (the deadline's TimeoutError). */
function abortReason(signal: CallSignal): Error {
  // A DOMException from another realm (jest) is not `instanceof Error`, but is one.
  return (signal.reason ?? new Error('aborted')) as Error;
}

/** A raw header name or value as undici hands it over (Buffer), as a string. */
function text(raw: Buffer | string): string {
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

/**
 * The answer to one request: status, the two headers we use, and the body as UTF-8 text.
 * `requestId` and `retryAfter` are set as soon as the headers arrive, so a caller can name the
 * upstream request even when the body then fails (too large, cut off, timed out).
 */
export class BufferedResponse {
  status = 0;
  requestId: string | undefined;
  retryAfter: string | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private abort: Abort | null = null;
  private reason: Error | null = null;
  private removeAbortListener: (() => void) | null = null;
  private resolve: (body: string) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;

  constructor(private readonly maxBytes: number) {}

  /** Sends the request; resolves with the body once complete. */
  send(pool: Pool, request: BufferedRequest): Promise<string> {
    const { signal } = request;
    return new Promise<string>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      if (signal) this.removeAbortListener = whenAborted(signal, () => this.cancel(abortReason(signal)));
      pool.dispatch(
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.headersTimeout,
          bodyTimeout: request.bodyTimeout,
        },
        this.handler(),
      );
    });
  }

  private cancel(reason: Error): void {
    if (this.abort) this.abort(reason);
    else this.reason = reason; // not connected yet: onConnect aborts
  }

  private finish(): void {
    this.removeAbortListener?.();
    this.removeAbortListener = null;
  }

  private handler(): Dispatcher.DispatchHandler {
    return {
      onConnect: (abort: Abort) => {
        if (this.reason) abort(this.reason);
        else this.abort = abort;
      },
      onHeaders: (statusCode: number, rawHeaders: Buffer[] | string[] | null) => {
        if (statusCode < 200) return true; // 1xx: the answer is still to come
        this.status = statusCode;
        const raw = rawHeaders ?? [];
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const length = raw[i].length;
          if (length !== REQUEST_ID.length && length !== RETRY_AFTER.length) continue;
          const name = text(raw[i]).toLowerCase();
          if (name === REQUEST_ID) this.requestId ??= text(raw[i + 1]);
          else if (name === RETRY_AFTER) this.retryAfter ??= text(raw[i + 1]);
        }
        return true;
      },
      onData: (chunk: Buffer) => {
        this.size += chunk.length;
        if (this.size > this.maxBytes) {
          this.cancel(new ResponseTooLargeError(this.maxBytes));
          return false;
        }
        this.chunks.push(chunk);
        return true;
      },
      onComplete: () => {
        this.finish();
        const { chunks } = this;
        this.resolve(
          chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, this.size).toString('utf8'),
        );
      },
      onError: (error: Error) => {
        this.finish();
        this.reject(error);
      },
    };
  }
}
