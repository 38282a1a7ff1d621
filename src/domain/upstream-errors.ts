/**
 * The failure vocabulary the upstream ports speak. An adapter (src/wix) raises subclasses of
 * `UpstreamError`, classifying its protocol's statuses and codes there; the layers above read
 * only `failure` (to pick a client code) and `loggable()` (to log), never the protocol.
 * Business refusals (insufficient credits, a reused key, not found) are not failures: the ports
 * return them as results.
 */

/** What a failed upstream call means for the layers above the port. */
export type UpstreamFailureKind =
  /** No complete answer in time (one attempt's limit or the request's deadline). */
  | 'timeout'
  /** Unreachable, a broken connection, an answer that does not decode, a server error. */
  | 'unavailable'
  /** Failing fast without a call: the circuit breaker is open. */
  | 'circuitOpen'
  /** The upstream asks us to slow down. */
  | 'rateLimited'
  /** The credentials the call carried were rejected. */
  | 'credentialsRejected'
  /** The credentials are valid but may not access this account or site. */
  | 'forbidden'
  /** Any other refusal of the request itself: one we should have prevented. */
  | 'rejected';

/**
 * What of a failure may be logged: its name, own message and safe, bounded fields such as the
 * upstream's request id, status or error code; never an upstream body's text or data, which may
 * echo what was sent.
 */
export type LoggableUpstreamError = Readonly<Record<string, string | number | null>>;

export abstract class UpstreamError extends Error {
  abstract readonly failure: UpstreamFailureKind;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  abstract loggable(): LoggableUpstreamError;
}
