/**
 * A `ChargeUpstream` for unit tests: lookups and sends answer from scripts (in order, the last
 * one repeating) or from functions, and are counted. No network, no Wix protocol.
 */
import type {
  ChargeUpstream,
  LookupResult,
  PreparedCharge,
  SendResult,
  UpstreamCall,
  UpstreamFailure,
} from '../../src/charges/charge-upstream';
import type { CreditTransaction } from '../../src/domain/credits';
import type { ChargeRequest } from '../../src/domain/charge-request';
import type { Guid } from '../../src/domain/guid';
import { type LoggableUpstreamError, UpstreamError } from '../../src/domain/upstream-errors';
import { opaqueId } from './guids';

type Script<T, A> = T[] | ((arg: A, index: number) => T | Promise<T>);

export class FakeChargeUpstream implements ChargeUpstream {
  readonly calls = { lookups: 0, sends: 0 };
  /** The requests sent, in order. */
  readonly sent: ChargeRequest[] = [];

  constructor(
    private readonly script: { lookUp: Script<LookupResult, Guid>; send?: Script<SendResult, ChargeRequest> },
  ) {}

  prepare(request: ChargeRequest): PreparedCharge {
    return { request };
  }

  async send(_call: UpstreamCall, charge: PreparedCharge): Promise<SendResult> {
    this.sent.push(charge.request);
    return play(
      this.script.send ?? [{ kind: 'refusedNoEffect', failure: failure('no send scripted', false) }],
      charge.request,
      this.calls.sends++,
    );
  }

  async lookUp(_call: UpstreamCall, idempotencyKey: Guid): Promise<LookupResult> {
    return play(this.script.lookUp, idempotencyKey, this.calls.lookups++);
  }

  deadlineError(): UpstreamError {
    return new ScriptedUpstreamError('deadline passed');
  }
}

async function play<T, A>(script: Script<T, A>, arg: A, index: number): Promise<T> {
  if (typeof script === 'function') return script(arg, index);
  return script[Math.min(index, script.length - 1)]!;
}

/** A failure with no protocol behind it: only its message matters to the attempt's tests. */
class ScriptedUpstreamError extends UpstreamError {
  readonly failure = 'unavailable' as const;
  loggable(): LoggableUpstreamError {
    return { name: this.name, message: this.message };
  }
}

export function failure(message: string, retryable = true, retryAfterMs: number | null = null): UpstreamFailure {
  return { error: new ScriptedUpstreamError(message), retryable, retryAfterMs };
}

export const notFound: LookupResult = { kind: 'notFound' };
export const found = (transaction: CreditTransaction): LookupResult => ({ kind: 'found', transaction });
export const lookupFailed = (message = 'lookup failed', retryable = true): LookupResult => ({
  kind: 'failed',
  failure: failure(message, retryable),
});
export const charged = (transaction: CreditTransaction): SendResult => ({ kind: 'charged', transaction });
export const fateUnknown = (message = 'no answer', retryable = true): SendResult => ({
  kind: 'fateUnknown',
  failure: failure(message, retryable),
});
export const refusedNoEffect = (
  message = 'refused',
  retryable = true,
  retryAfterMs: number | null = null,
): SendResult => ({
  kind: 'refusedNoEffect',
  failure: failure(message, retryable, retryAfterMs),
});
export const insufficient: Extract<SendResult, { kind: 'insufficient' }> = {
  kind: 'insufficient',
  requiredCredits: 2,
  availableCredits: 0,
};
export const keyReused: Extract<SendResult, { kind: 'keyReused' }> = { kind: 'keyReused' };

/** A transaction recorded under `idempotencyKey` for 2 credits, no cost, nothing else set. */
export function transactionUnder(idempotencyKey: Guid, overrides: Partial<CreditTransaction> = {}): CreditTransaction {
  return {
    id: opaqueId('tx-1'),
    revision: '1',
    createdDate: null,
    updatedDate: null,
    amount: { credits: 2, cost: null },
    description: null,
    callerAppId: null,
    externalRefId: null,
    metadata: null,
    idempotencyKey,
    ...overrides,
  };
}
