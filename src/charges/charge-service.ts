/**
 * Makes a charge happen at most once per (tenant, idempotency key), against an upstream that may
 * or may not deduplicate:
 *  - concurrent requests with one key share one execution (single flight, in process);
 *  - definite outcomes are remembered and replayed; a different input under a used key is
 *    refused without an upstream call;
 *  - before every send the key is looked up upstream, so a charge committed by an attempt whose
 *    answer was lost (or by an earlier process) is found instead of debited again;
 *  - ambiguous failures (reset, timeout, 5xx) are retried with the byte-identical body until the
 *    request's deadline; then the outcome is `unknown` and the client retries with the same key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { ChargeOutcome, ChargeRequest, CreditTransaction, DefiniteChargeOutcome } from '../domain/credits';
import { WixClient, type WixCallOptions } from '../wix/wix-client';
import { WixError, WixHttpError } from '../wix/wix-errors';
import { decodeNumber } from '../wix/wix-mapping';
import { chargeFingerprint, transactionMatchesRequest } from './charge-fingerprint';
import type { IdempotencyStore } from './idempotency-store';

export interface ChargeServiceOptions {
  store: IdempotencyStore;
  /** How long finished outcomes replay. */
  replayTtlMs?: number;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
}

export interface ChargeCall extends WixCallOptions {
  tenant: string;
  /** The request's deadline: when it aborts, an unfinished charge is `unknown`. */
  signal: AbortSignal;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A failure after which the charge may or may not have been committed. */
function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof WixError)) return false;
  if (error.kind === 'timeout' || error.kind === 'connection' || error.kind === 'decode') return true;
  return error instanceof WixHttpError && error.status >= 500;
}

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

export class ChargeService {
  private readonly inflight = new Map<string, { fingerprint: string; outcome: Promise<ChargeOutcome> }>();
  private readonly replayTtlMs: number;
  private readonly backoff: ExponentialBackoff<number>;

  constructor(
    private readonly client: WixClient,
    private readonly options: ChargeServiceOptions,
  ) {
    this.replayTtlMs = options.replayTtlMs ?? DAY_MS;
    const { initialDelayMs, maxDelayMs } = options.backoff ?? { initialDelayMs: 50, maxDelayMs: 1_000 };
    this.backoff = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: initialDelayMs, maxDelay: maxDelayMs });
  }

  charge(call: ChargeCall, request: ChargeRequest): Promise<ChargeOutcome> {
    const key = `${call.tenant}\u0000${request.idempotencyKey}`;
    const fingerprint = chargeFingerprint(request);
    const running = this.inflight.get(key);
    if (running) {
      // Joiners share the outcome, or get `unknown` when their own deadline passes first. A
      // different input waits for the running one to settle and is then judged by what it left
      // (a finished charge refuses it without an upstream call): the running input does not own
      // the key before the upstream says so (after a restart it may be the intruder).
      if (running.fingerprint !== fingerprint) {
        const after = running.outcome.then(
          () => undefined,
          () => undefined,
        );
        return abortable(after.then(() => this.charge(call, request)), call.signal, { kind: 'unknown' });
      }
      return abortable(running.outcome, call.signal, { kind: 'unknown' });
    }
    const outcome = this.execute(key, fingerprint, call, request).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { fingerprint, outcome });
    return outcome;
  }

  private async execute(key: string, fingerprint: string, call: ChargeCall, request: ChargeRequest): Promise<ChargeOutcome> {
    const { store } = this.options;
    const stored = await store.get(key);
    if (stored?.state === 'done') return stored.fingerprint === fingerprint ? stored.outcome : { kind: 'keyReused' };
    // An unresolved attempt (this input's or another's) is settled by the upstream lookup that
    // precedes every send: whichever input the upstream recorded owns the key; if none, no
    // attempt committed and this input may charge. The marker is written before the first send
    // so a retry after a lost answer is never taken for a new key.
    const attemptedBefore = stored?.fingerprints.includes(fingerprint) ?? false;
    if (!attemptedBefore) {
      await store.set(key, { state: 'attempted', fingerprints: [...(stored?.fingerprints ?? []), fingerprint] }, this.replayTtlMs);
    }
    let outcome: ChargeOutcome;
    try {
      outcome = await this.attemptUntilKnown(call, request, attemptedBefore);
    } catch (error) {
      if (!isAmbiguous(error) && !stored) await store.delete(key); // nothing was ever committed under the key
      throw error;
    }
    if (outcome.kind === 'keyReused') {
      // The key belongs to another input (found upstream, or refused with 409): not this input's
      // outcome to remember, or the rightful owner's retries would be refused too.
      if (!stored) await store.delete(key);
      return outcome;
    }
    if (outcome.kind !== 'unknown') await store.set(key, { state: 'done', fingerprint, outcome }, this.replayTtlMs);
    return outcome;
  }

  private async attemptUntilKnown(call: ChargeCall, request: ChargeRequest, attemptedBefore: boolean): Promise<ChargeOutcome> {
    const body = WixClient.chargeBody(request);
    let backoff: IBackoff<unknown> | undefined;
    let sent = attemptedBefore; // whether any attempt, now or earlier, may have reached the upstream
    let lastError: unknown;
    for (;;) {
      if (call.signal.aborted) break;
      try {
        const found = await this.lookUp(call, request.idempotencyKey);
        if (found) return transactionMatchesRequest(found, request) ? { kind: 'charged', transaction: found } : { kind: 'keyReused' };
        if (call.signal.aborted) break;
        try {
          const transaction = await this.client.charge(call, request, body);
          return { kind: 'charged', transaction };
        } catch (error) {
          // Refused before reaching the ledger (breaker open, 429) is not a send.
          if (!isRefusedUncommitted(error)) sent = true;
          throw error;
        }
      } catch (error) {
        const definite = this.definiteOutcome(error, request);
        if (definite) return definite;
        if (error instanceof WixError && error.kind === 'circuit-open') {
          // Fail fast while the breaker is open; what was sent before stays unresolved.
          if (sent) return { kind: 'unknown' };
          throw error;
        }
        if (!isAmbiguous(error) && !isRefusedUncommitted(error)) throw error;
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
    if (!sent && lastError !== undefined) throw lastError;
    return { kind: 'unknown' };
  }

  /** The transaction already recorded under this key, if any. */
  private async lookUp(call: ChargeCall, idempotencyKey: string): Promise<CreditTransaction | null> {
    const page = await this.client.queryTransactions(call, { filter: { idempotencyKey }, limit: 1, order: 'ASC' });
    return page.items[0] ?? null;
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
