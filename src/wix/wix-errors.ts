/**
 * Typed upstream failures. Messages never carry credentials, the base URL or upstream bodies
 * verbatim beyond Wix's own short `message`; the GraphQL layer decides what a client sees.
 * Each extends the ports' `UpstreamError` and classifies itself (`failure`) here, so the layers
 * above read no HTTP status or Wix code.
 */
import { type LoggableUpstreamError, UpstreamError, type UpstreamFailureKind } from '../domain/upstream-errors';
import type { WixFieldViolation } from './wix-json';

export type WixOperation = 'getBalance' | 'charge' | 'getTransaction' | 'queryTransactions';

export abstract class WixError extends UpstreamError {
  abstract readonly kind: 'http' | 'timeout' | 'connection' | 'decode' | 'circuit-open';
  constructor(
    message: string,
    readonly operation: WixOperation,
  ) {
    super(message);
  }

  /** An allow-list: a body's description, data and field violations stay out of the logs. */
  loggable(): LoggableUpstreamError {
    return { name: this.name, message: this.message, kind: this.kind, operation: this.operation };
  }
}

/** How the layers above the port read an HTTP status. */
function failureOfStatus(status: number): UpstreamFailureKind {
  if (status >= 500) return 'unavailable';
  if (status === 429) return 'rateLimited';
  if (status === 401) return 'credentialsRejected';
  if (status === 403) return 'forbidden';
  return 'rejected';
}

export interface WixHttpErrorDetails {
  status: number;
  code: string | null;
  description: string | null;
  data: Record<string, unknown> | null;
  fieldViolations: WixFieldViolation[];
  requestId: string | null;
  /** Seconds from a `Retry-After` header (429/503), when it was a number of seconds or a date. */
  retryAfterSeconds: number | null;
}

/** The upstream answered with a non-2xx status. */
export class WixHttpError extends WixError {
  readonly kind = 'http' as const;
  readonly failure: UpstreamFailureKind;
  readonly status: number;
  readonly code: string | null;
  readonly description: string | null;
  readonly data: Record<string, unknown> | null;
  readonly fieldViolations: WixFieldViolation[];
  readonly requestId: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(operation: WixOperation, details: WixHttpErrorDetails) {
    super(`Wix ${operation} failed with HTTP ${details.status}${details.code ? ` (${details.code})` : ''}`, operation);
    this.status = details.status;
    this.code = details.code;
    this.description = details.description;
    this.data = details.data;
    this.fieldViolations = details.fieldViolations;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.failure = failureOfStatus(details.status);
  }

  override loggable(): LoggableUpstreamError {
    return { ...super.loggable(), status: this.status, code: this.code, wixRequestId: this.requestId };
  }
}

/** No complete answer within the attempt's time limit (or the request's deadline). */
export class WixTimeoutError extends WixError {
  readonly kind = 'timeout' as const;
  readonly failure = 'timeout' as const;
  /** `null`: the request's deadline passed rather than one attempt's limit. */
  constructor(
    operation: WixOperation,
    readonly timeoutMs: number | null,
  ) {
    super(
      timeoutMs === null
        ? `Wix ${operation} did not complete before the request's deadline`
        : `Wix ${operation} did not answer within ${timeoutMs} ms`,
      operation,
    );
  }
}

/** The connection failed or was reset: for a write, the outcome is unknown. */
export class WixConnectionError extends WixError {
  readonly kind = 'connection' as const;
  readonly failure = 'unavailable' as const;
  constructor(
    operation: WixOperation,
    readonly causeCode: string,
  ) {
    super(`Wix ${operation} connection failed (${causeCode})`, operation);
  }
}

/** A 2xx body that does not match the contract. */
export class WixResponseDecodeError extends WixError {
  readonly kind = 'decode' as const;
  readonly failure = 'unavailable' as const;
  constructor(
    operation: WixOperation,
    reason: string,
    readonly requestId: string | null,
  ) {
    super(`Wix ${operation} returned an undecodable body: ${reason}`, operation);
  }

  override loggable(): LoggableUpstreamError {
    return { ...super.loggable(), wixRequestId: this.requestId };
  }
}

/** The circuit breaker for this operation class is open: failing fast without a call. */
export class WixCircuitOpenError extends WixError {
  readonly kind = 'circuit-open' as const;
  readonly failure = 'circuitOpen' as const;
  constructor(operation: WixOperation) {
    super(`Wix ${operation} is failing; circuit open`, operation);
  }
}

/** 5xx statuses that mean "try again": the request may or may not have taken effect. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/**
 * A failure that says the upstream is unwell, not that the request was wrong: no answer in time,
 * a broken connection, an undecodable 2xx, or a transient 5xx. Reads retry these, breakers count
 * them, and for a charge they leave the outcome unknown (it may have been committed).
 */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof WixError)) return false;
  if (error.kind === 'timeout' || error.kind === 'connection' || error.kind === 'decode') return true;
  return error instanceof WixHttpError && TRANSIENT_STATUSES.has(error.status);
}

/** Connection failures that happen before a request is written: it cannot have been committed. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Could this failed attempt have reached the upstream's ledger? */
export function mayHaveReachedUpstream(error: unknown): boolean {
  if (error instanceof WixConnectionError && NOT_SENT_CODES.has(error.causeCode)) return false;
  if (error instanceof WixHttpError) return error.status >= 500;
  return isTransientFailure(error);
}
