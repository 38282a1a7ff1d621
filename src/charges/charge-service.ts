/**
 * Makes a charge happen at most once per (account, idempotency key), against an upstream that
 * may or may not deduplicate:
 *  - concurrent requests with one key share one execution (single flight, in process), whatever
 *    token they carry; outcomes are only shared with the same credentials;
 *  - definite outcomes are remembered and replayed; a different input under a settled key is
 *    refused without an upstream call;
 *  - before every send the key is looked up upstream, so a charge committed by an attempt whose
 *    answer was lost (or by an earlier process) is found instead of debited again;
 *  - after a send whose fate is unknown (no answer, reset, 5xx) nothing is sent again until the
 *    settle window has passed — the upstream may still be committing it — only looked up;
 *  - then the byte-identical body is resent with the same key, until the request's deadline;
 *    past it the outcome is `unknown` and the client retries with the same key and input.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { ChargeOutcome, ChargeRequest, CreditTransaction, DefiniteChargeOutcome } from '../domain/credits';
import { WixClient, type WixCallOptions } from '../wix/wix-client';
import { WixError, WixHttpError, WixResponseDecodeError, WixTimeoutError, isTransientFailure, mayHaveReachedUpstream } from '../wix/wix-errors';
import { decodeNumber } from '../wix/wix-mapping';
import { chargeFingerprint, transactionMatchesRequest } from './charge-fingerprint';
import type { IdempotencyStore, StoredCharge } from './idempotency-store';

export interface ChargeServiceOptions {
  store: IdempotencyStore;
  /** How long finished outcomes replay. */
  replayTtlMs?: number;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /**
   * How long after an unanswered send the upstream may still commit it. No resend before then:
   * this is what keeps a slow upstream from debiting twice. Default 5 s.
   */
  settleMs?: number;
}

export interface ChargeCall extends WixCallOptions {
  /** Digest of the caller's credentials: who may have outcomes replayed. */
  tenant: string;
  /** The account (or site) the key lives in: what concurrent duplicates are serialized by. */
  scope: string;
  /** The request's deadline: when it aborts, an unfinished charge is `unknown`. */
  signal: AbortSignal;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UNKNOWN: ChargeOutcome = { kind: 'unknown' };

/** Refused before any effect: safe to send again (after the server's Retry-After). */
function isRefusedUncommitted(error: unknown): boolean {
  return error instanceof WixError && (error.kind === 'circuit-open' || (error instanceof WixHttpError && error.status === 429));
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal, onAbort: T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort);
  return new Promise<T>((resolve, reject) => {
    const abort = () => resolve(onAbort);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** What one execution knows about earlier sends under its key. */
interface SendState {
  /** Some send of this input, now or earlier, may have reached the upstream. */
  sent: boolean;
  /** Epoch ms before which an earlier send (of any input) may still commit. */
  settleUntil: number;
}

export class ChargeService {
  private readonly inflight = new Map<string, { tenant: string; fingerprint: string; outcome: Promise<ChargeOutcome> }>();
  private readonly replayTtlMs: number;
  private readonly settleMs: number;
  private readonly backoff: ExponentialBackoff<number>;

  constructor(
    private readonly client: WixClient,
    private readonly options: ChargeServiceOptions,
  ) {
    this.replayTtlMs = options.replayTtlMs ?? DAY_MS;
    this.settleMs = options.settleMs ?? 5_000;
    const { initialDelayMs, maxDelayMs } = options.backoff ?? { initialDelayMs: 50, maxDelayMs: 1_000 };
    this.backoff = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: initialDelayMs, maxDelay: maxDelayMs });
  }

  charge(call: ChargeCall, request: ChargeRequest): Promise<ChargeOutcome> {
    const key = `${call.scope}\u0000${request.idempotencyKey.toLowerCase()}`;
    const fingerprint = chargeFingerprint(request);
    const running = this.inflight.get(key);
    if (running) {
      // The same input with the same credentials shares the outcome (or gets `unknown` when its
      // own deadline passes first). Anything else — another input, or other credentials, which
      // must prove their own access — waits for the running execution to settle, then is judged
      // by what it left; it never runs beside it.
      if (running.fingerprint === fingerprint && running.tenant === call.tenant) return abortable(running.outcome, call.signal, UNKNOWN);
      const settled = running.outcome.then(
        () => undefined,
        () => undefined,
      );
      return abortable(
        settled.then(() => (call.signal.aborted ? UNKNOWN : this.charge(call, request))),
        call.signal,
        UNKNOWN,
      );
    }
    const outcome = this.execute(key, fingerprint, call, request).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { tenant: call.tenant, fingerprint, outcome });
    return outcome;
  }

  private async execute(key: string, fingerprint: string, call: ChargeCall, request: ChargeRequest): Promise<ChargeOutcome> {
    const { store } = this.options;
    const stored = await store.get(key);
    if (stored?.state === 'done' && stored.tenant === call.tenant) {
      return stored.fingerprint === fingerprint ? stored.outcome : { kind: 'keyReused' };
    }
    // Unsettled (or settled for other credentials): the upstream lookup that precedes every send
    // decides. Whichever input the upstream recorded owns the key; if none, this input may charge.
    const attempted = stored?.state === 'attempted' ? stored : undefined;
    const state: SendState = { sent: attempted?.fingerprints.includes(fingerprint) ?? false, settleUntil: attempted?.settleUntil ?? 0 };
    const marker = (): StoredCharge => ({
      state: 'attempted',
      fingerprints: [...new Set([...(attempted?.fingerprints ?? []), fingerprint])],
      settleUntil: state.settleUntil,
    });
    // Written before the first send, so a retry after a lost answer is never taken for a new key.
    if (!state.sent) await store.set(key, marker(), this.replayTtlMs);

    let outcome: ChargeOutcome;
    try {
      outcome = await this.attemptUntilKnown(call, request, state, () => store.set(key, marker(), this.replayTtlMs));
    } catch (error) {
      if (!state.sent && !stored) await store.delete(key); // nothing was ever sent under the key
      throw error;
    }
    if (outcome.kind === 'keyReused') {
      // The key belongs to another input: not this input's outcome to remember, or the rightful
      // owner's retries would be refused too.
      if (!state.sent && !stored) await store.delete(key);
      return outcome;
    }
    if (outcome.kind !== 'unknown') await store.set(key, { state: 'done', tenant: call.tenant, fingerprint, outcome }, this.replayTtlMs);
    return outcome;
  }

  private async attemptUntilKnown(
    call: ChargeCall,
    request: ChargeRequest,
    state: SendState,
    recordSend: () => Promise<void>,
  ): Promise<ChargeOutcome> {
    const body = WixClient.chargeBody(request);
    let backoff: IBackoff<unknown> | undefined;
    let lastError: unknown;
    for (;;) {
      if (call.signal.aborted) {
        lastError ??= new WixTimeoutError('charge', null);
        break;
      }
      try {
        const found = await this.lookUp(call, request.idempotencyKey);
        if (found) return this.outcomeOf(found, request);
        const settling = state.settleUntil - Date.now();
        if (settling > 0) {
          // An earlier send may still commit: look again once it has settled, never send beside it.
          await sleep(settling, undefined, { signal: call.signal });
          continue;
        }
        try {
          return { kind: 'charged', transaction: await this.client.charge(call, request, body) };
        } catch (error) {
          if (mayHaveReachedUpstream(error)) {
            state.sent = true;
            state.settleUntil = Date.now() + this.settleMs;
            await recordSend();
          }
          throw error;
        }
      } catch (error) {
        if (call.signal.aborted) {
          lastError = error instanceof WixError ? error : new WixTimeoutError('charge', null);
          break;
        }
        const definite = this.definiteOutcome(error, request);
        if (definite) return state.sent ? this.recheck(call, request, definite) : definite;
        if (error instanceof WixError && error.kind === 'circuit-open') {
          // Fail fast while the breaker is open; what was sent before stays unresolved.
          if (state.sent) return UNKNOWN;
          throw error;
        }
        if (!isTransientFailure(error) && !isRefusedUncommitted(error)) {
          // A definite error (e.g. credentials rejected) says nothing of an earlier send.
          if (state.sent) return UNKNOWN;
          throw error;
        }
        lastError = error;
      }
      backoff = backoff ? backoff.next(undefined) : this.backoff.next();
      const retryAfterMs = lastError instanceof WixHttpError && lastError.retryAfterSeconds !== null ? Math.min(lastError.retryAfterSeconds * 1000, 5_000) : 0;
      try {
        await sleep(Math.max(backoff.duration, retryAfterMs), undefined, { signal: call.signal });
      } catch {
        break; // deadline passed while waiting
      }
    }
    // Never sent, or only refused before any effect: nothing was charged, so the failure is definite.
    if (!state.sent && lastError !== undefined) throw lastError;
    return UNKNOWN;
  }

  /**
   * A refusal (insufficient credits, key reused) that follows a send of unknown fate may have been
   * caused by that very send having been debited: look once more before answering.
   */
  private async recheck(call: ChargeCall, request: ChargeRequest, refusal: DefiniteChargeOutcome): Promise<ChargeOutcome> {
    try {
      const found = await this.lookUp(call, request.idempotencyKey);
      return found ? this.outcomeOf(found, request) : refusal;
    } catch {
      return UNKNOWN;
    }
  }

  private outcomeOf(found: CreditTransaction, request: ChargeRequest): DefiniteChargeOutcome {
    return transactionMatchesRequest(found, request) ? { kind: 'charged', transaction: found } : { kind: 'keyReused' };
  }

  /** The transaction recorded under this key, if any. */
  private async lookUp(call: ChargeCall, idempotencyKey: string): Promise<CreditTransaction | null> {
    const page = await this.client.queryTransactions(call, { filter: { idempotencyKey }, limit: 1, order: 'ASC' });
    const found = page.items[0];
    if (!found) return null;
    // An upstream that ignored the filter must not pass another charge off as this one.
    if (found.idempotencyKey?.toLowerCase() !== idempotencyKey.toLowerCase()) {
      throw new WixResponseDecodeError('queryTransactions', 'a lookup by idempotencyKey returned another key', null);
    }
    return found;
  }

  private definiteOutcome(error: unknown, request: ChargeRequest): DefiniteChargeOutcome | null {
    if (!(error instanceof WixHttpError)) return null;
    if (error.status === 428 || error.code === 'INSUFFICIENT_CREDITS') {
      const data = error.data ?? {};
      return {
        kind: 'insufficient',
        requiredCredits: decodeNumber(data.requiredCredits) ?? request.credits,
        availableCredits: decodeNumber(data.availableCredits) ?? 0,
      };
    }
    if (error.status === 409) return { kind: 'keyReused' };
    return null;
  }
}
