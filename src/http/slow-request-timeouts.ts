/**
 * Slow senders (slowloris): a request whose headers and body have not fully arrived within a
 * bound is answered 408 and its connection closed by Node's HTTP server. Node checks pending
 * requests every `connectionsCheckingInterval` (30 s by default): checked often enough here that
 * the bound holds to within a second.
 */
import type { ServerOptions } from 'node:http';
import { TIMING_DEFAULTS } from '../config';

export const DEFAULT_REQUEST_BODY_TIMEOUT_MS = TIMING_DEFAULTS.requestBodyTimeoutMs;

export function slowRequestTimeouts(timeoutMs: number): { requestTimeout: number; http: ServerOptions } {
  return {
    requestTimeout: timeoutMs,
    http: {
      // Headers must arrive within the bound too (Node requires headersTimeout ≤ requestTimeout).
      headersTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      connectionsCheckingInterval: Math.min(1_000, timeoutMs),
    },
  };
}
