/**
 * The charge service's upstream port (`src/charges/charge-upstream.ts`) for Wix: one charge
 * attempt or one key lookup through the Wix client, its failure read and classified here — HTTP
 * statuses, Wix error codes, Retry-After, the numbers in an INSUFFICIENT_CREDITS answer — so the
 * charge service never sees the protocol.
 */
import type {
  ChargeUpstream,
  LookupResult,
  PreparedCharge,
  SendResult,
  UpstreamCall,
  UpstreamFailure,
} from '../charges/charge-upstream';
import type { ChargeRequest } from '../domain/charge-request';
import type { Guid } from '../domain/guid';
import { UpstreamError } from '../domain/upstream-errors';
import { WixClient } from './wix-client';
import {
  WixError,
  WixHttpError,
  WixResponseDecodeError,
  WixTimeoutError,
  isTransientFailure,
  mayHaveReachedUpstream,
} from './wix-errors';
import { decodeNumber } from './wix-mapping';

const KEY_REUSED_CODE = 'IDEMPOTENCY_KEY_REUSED';
const INSUFFICIENT_CODE = 'INSUFFICIENT_CREDITS';

/** A charge with its request body encoded once: resends carry these exact bytes. */
class WixPreparedCharge implements PreparedCharge {
  constructor(
    readonly request: ChargeRequest,
    readonly body: string,
  ) {}
}

/**
 * Refused before any effect, and worth trying again: a 429, or a 409 other than key reuse (a
 * conflict such as ABORTED that took no effect).
 */
function isRefusedForNow(error: unknown): boolean {
  return (
    error instanceof WixHttpError && (error.status === 429 || (error.status === 409 && error.code !== KEY_REUSED_CODE))
  );
}

/**
 * A failure as the charge attempt needs it: may it try again, after how long, and what to tell
 * the client. Anything but an upstream failure is a bug, not the port's to classify: rethrown.
 */
export function classifyFailure(error: unknown): UpstreamFailure {
  if (!(error instanceof UpstreamError)) throw error;
  const circuitOpen = error instanceof WixError && error.kind === 'circuit-open';
  return {
    error,
    // The breaker open means: fail fast, what was sent before stays unresolved.
    retryable: !circuitOpen && (isTransientFailure(error) || isRefusedForNow(error)),
    retryAfterMs:
      error instanceof WixHttpError && error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : null,
  };
}

/** A charge's refusal on business grounds: insufficient credits, or the key already used upstream. */
function refusal(error: unknown, request: ChargeRequest): SendResult | null {
  if (!(error instanceof WixHttpError)) return null;
  if (error.status === 428 || error.code === INSUFFICIENT_CODE) {
    const data = error.data ?? {};
    return {
      kind: 'insufficient',
      requiredCredits: decodeNumber(data.requiredCredits) ?? request.credits,
      availableCredits: decodeNumber(data.availableCredits) ?? 0,
    };
  }
  if (error.status === 409 && error.code === KEY_REUSED_CODE) return { kind: 'keyReused' };
  return null;
}

export class WixChargeUpstream implements ChargeUpstream {
  constructor(private readonly client: WixClient) {}

  prepare(request: ChargeRequest): PreparedCharge {
    return new WixPreparedCharge(request, WixClient.chargeBody(request));
  }

  async send(call: UpstreamCall, charge: PreparedCharge): Promise<SendResult> {
    const body = charge instanceof WixPreparedCharge ? charge.body : WixClient.chargeBody(charge.request);
    try {
      return { kind: 'charged', transaction: await this.client.charge(call, charge.request, body) };
    } catch (error) {
      const refused = refusal(error, charge.request);
      if (refused) return refused;
      const failure = classifyFailure(error);
      return mayHaveReachedUpstream(error) ? { kind: 'fateUnknown', failure } : { kind: 'refusedNoEffect', failure };
    }
  }

  async lookUp(call: UpstreamCall, idempotencyKey: Guid): Promise<LookupResult> {
    try {
      // fresh: a lookup decides whether to resend, so it must be sent now, never share an earlier call.
      const page = await this.client.queryTransactions(
        { ...call, fresh: true },
        { filter: { idempotencyKey }, limit: 1, order: 'ASC' },
      );
      const found = page.items[0];
      if (!found) return { kind: 'notFound' };
      // An upstream that ignored the filter must not pass another charge off as this one.
      if (found.idempotencyKey !== idempotencyKey) {
        throw new WixResponseDecodeError('queryTransactions', 'a lookup by idempotencyKey returned another key', null);
      }
      return { kind: 'found', transaction: found };
    } catch (error) {
      return { kind: 'failed', failure: classifyFailure(error) };
    }
  }

  deadlineError(): UpstreamError {
    return new WixTimeoutError('charge', null);
  }
}
