/**
 * HTTP to the upstream over a keep-alive undici Pool (global fetch costs measurably more CPU
 * per call). Every attempt is bounded by undici's own header and body timeouts (set to the
 * attempt timeout; 300 s each otherwise) and, when given, by the caller's signal (the GraphQL
 * request's one deadline). No timer or AbortSignal of its own per attempt: undici arms its
 * timeouts anyway, and `AbortSignal.timeout` + `AbortSignal.any` per attempt were a visible
 * share of the CPU profile. undici rounds timeouts above 1 s to its 0.5 s timer tick, and its
 * body timeout counts idle time between chunks, so an attempt can outlast the attempt timeout
 * by up to about a second or by a body trickling in; the request's deadline stays exact.
 */
import { Pool } from 'undici';
import type { CallSignal } from '../domain/upstream-call';
import { sanitizeForLog } from '../common/log-safe';
import { BufferedResponse, DEFAULT_WIX_MAX_RESPONSE_BYTES, ResponseTooLargeError } from './bounded-body';
import { decodeWixError } from './wix-error-decoder';
import { WixConnectionError, WixResponseDecodeError, WixTimeoutError, type WixOperation } from './wix-errors';

export interface WixHttpOptions {
  baseUrl: string;
  /** Sockets kept open to the upstream. */
  connections?: number;
  /** Longest upstream body read (WIX_MAX_RESPONSE_BYTES); a longer one is an upstream failure. */
  maxResponseBytes?: number;
  /** Idle connections kept this long (TIMING_DEFAULTS.upstreamKeepAliveMs); absent: undici's default. */
  keepAliveMs?: number;
}

export interface WixHttpCall {
  operation: WixOperation;
  method: 'GET' | 'POST';
  /** Path below the base URL, starting with '/'. */
  path: string;
  body?: string;
  /** Every request header, `accept` and `content-type` included (see requestHeaders). */
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal?: CallSignal;
}

export interface WixHttpAnswer {
  status: number;
  json: unknown;
  requestId: string | null;
}

/** Logged and put on errors: sanitized and capped like any string from outside. */
function requestIdOf(response: BufferedResponse): string | null {
  return sanitizeForLog(response.requestId, WIX_REQUEST_ID_MAX_LENGTH);
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause) return errorCode(cause);
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'UNKNOWN';
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
]);

/** Longest `x-wix-request-id` kept (logged and put on errors). */
export const WIX_REQUEST_ID_MAX_LENGTH = 128;

export class WixHttp {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly maxResponseBytes: number;

  constructor(options: WixHttpOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_WIX_MAX_RESPONSE_BYTES;
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      ...(options.keepAliveMs !== undefined && { keepAliveTimeout: options.keepAliveMs }),
      pipelining: 1,
    });
  }

  async send(call: WixHttpCall): Promise<WixHttpAnswer> {
    const signal = call.signal;
    const response = new BufferedResponse(this.maxResponseBytes);
    let text: string;
    try {
      text = await response.send(this.pool, {
        method: call.method,
        path: this.prefix + call.path,
        headers: call.headers,
        body: call.body,
        signal,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
      });
    } catch (error) {
      if (error instanceof ResponseTooLargeError) {
        throw new WixResponseDecodeError(call.operation, error.message, requestIdOf(response));
      }
      const code = errorCode(error);
      if (signal?.aborted || TIMEOUT_CODES.has(code)) throw new WixTimeoutError(call.operation, call.timeoutMs);
      throw new WixConnectionError(call.operation, code);
    }
    const { status } = response;
    const requestId = requestIdOf(response);
    if (status < 200 || status >= 300)
      throw decodeWixError(call.operation, status, text, requestId, response.retryAfter);
    try {
      return { status, json: JSON.parse(text) as unknown, requestId };
    } catch {
      throw new WixResponseDecodeError(call.operation, 'body is not JSON', requestId);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
