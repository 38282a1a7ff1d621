/**
 * Makes a charge happen at most once per (account, idempotency key), against an upstream that
 * may or may not deduplicate:
 *  - concurrent requests with one key share one execution (single flight, in process), whatever
 *    token they carry; outcomes are only shared with the same credentials;
 *  - definite outcomes are remembered and replayed; a different input under a settled key is
 *    refused without an upstream call;
 *  - before every send the key is looked up upstream, so a charge committed by an attempt whose
 *    answer was lost (or by an earlier process) is found instead of debited again;
 *  - after a send whose fate is unknown (no answer, reset, 5xx) nothing is sent under the key
 *    until the settle window has passed — the upstream may still be committing it — and only a
 *    lookup *started* after the window closed may license a resend; a fresh process waits one
 *    window before its first send, as sends of a previous process may still be pending;
 *  - then the byte-identical body is resent with the same key, until the request's deadline;
 *    past it the outcome is `unknown` and the client retries with the same key and input.
 * Assumptions about the upstream: it commits nothing later than the settle window after the
 * gateway gave up on a send, and a lookup sees every charge committed before it started.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { ChargeOutcome, ChargeRequest, CreditTransaction, DefiniteChargeOutcome } from '../domain/credits';
import { WixClient, type WixCallOptions } from '../wix/wix-client';
import {
  WixError,
  WixHttpError,
  WixResponseDecodeError,
  WixTimeoutError,
  isTransientFailure,
  mayHaveReachedUpstream,
} from '../wix/wix-errors';
import { decodeNumber } from '../wix/wix-mapping';
import { chargeFingerprint, matchTransaction } from './charge-fingerprint';
import type { IdempotencyStore } from './idempotency-store';
import { CoordinationUnavailableError, type KeyLock, type LockLease } from './coordination';
import { SettleWindows } from './settle-windows';
import { withSpan } from '../telemetry/tracing';

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
  /**
   * How long a fresh service waits before its first send (sends of a previous process may still
   * be pending upstream). Default: settleMs.
   */
  startupSettleMs?: number;
  /** A lock per key across replicas (Redis); in one process the in-flight map is enough. */
  lock?: KeyLock;
  /** How long a key's lock is first taken for: above the request deadline plus the settle time. */
  lockTtlMs?: number;
  /**
   * Before each send the lock is extended to last at least this long (an attempt's timeout, the
   * settle time and a margin for pauses), so it cannot lapse while the send may still commit.
   */
  sendLeaseMs?: number;
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

const KEY_REUSED_CODE = 'IDEMPOTENCY_KEY_REUSED';
/** How many distinct inputs under one key are remembered as sent. */
const MAX_SENT_FINGERPRINTS = 16;

/**
 * Refused before any effect: safe to send again (after the server's Retry-After). A 409 other
 * than key reuse is a conflict (e.g. ABORTED) that took no effect either.
 */
function isRefusedUncommitted(error: unknown): boolean {
  if (!(error instanceof WixError)) return false;
  if (error.kind === 'circuit-open') return true;
  return (
    error instanceof WixHttpError && (error.status === 429 || (error.status === 409 && error.code !== KEY_REUSED_CODE))
  );
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

/** What one execution knows about sends under its key. */
interface SendState {
  /** Some send of this input, now or earlier, may have reached the upstream. */
  sent: boolean;
  /** Some send of another input under the key may have reached the upstream. */
  otherSent: boolean;
}

export class ChargeService {
  private readonly inflight = new Map<
    string,
    { tenant: string; fingerprint: string; outcome: Promise<ChargeOutcome> }
  >();
  private readonly settling = new SettleWindows();
  private readonly lockTtlMs: number;
  private readonly sendLeaseMs: number;
  private readonly replayTtlMs: number;
  private readonly settleMs: number;
  /** Monotonic ms before which a fresh service sends nothing. */
  private readonly startupSettledAt: number;
  private readonly backoff: ExponentialBackoff<number>;

  constructor(
    private readonly client: WixClient,
    private readonly options: ChargeServiceOptions,
  ) {
    this.replayTtlMs = options.replayTtlMs ?? DAY_MS;
    this.settleMs = options.settleMs ?? 5_000;
    this.lockTtlMs = options.lockTtlMs ?? 5 * 60_000;
    this.sendLeaseMs = options.sendLeaseMs ?? 60_000;
    this.startupSettledAt = performance.now() + (options.startupSettleMs ?? this.settleMs);
    const { initialDelayMs, maxDelayMs } = options.backoff ?? { initialDelayMs: 50, maxDelayMs: 1_000 };
    this.backoff = new ExponentialBackoff({
      generator: fullJitterGenerator,
      initialDelay: initialDelayMs,
      maxDelay: maxDelayMs,
    });
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
      if (running.fingerprint === fingerprint && running.tenant === call.tenant)
        return abortable(running.outcome, call.signal, UNKNOWN);
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
    const outcome = withSpan('charge', {}, async (span) => {
      const result = await this.executeExclusive(key, fingerprint, call, request);
      span?.setAttribute('charge.outcome', result.kind);
      return result;
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { tenant: call.tenant, fingerprint, outcome });
    return outcome;
  }

  /**
   * Runs `execute` while holding the key's lock, so no other replica charges the key meanwhile.
   * A send of unknown fate keeps the lock until its settle window closes.
   */
  private async executeExclusive(
    key: string,
    fingerprint: string,
    call: ChargeCall,
    request: ChargeRequest,
  ): Promise<ChargeOutcome> {
    const { lock } = this.options;
    if (!lock) return this.execute(key, fingerprint, call, request, null);
    // A fresh process waits out its start-up window before taking the lock, not while holding it.
    try {
      await sleep(Math.max(0, this.startupSettledAt - performance.now()), undefined, { signal: call.signal });
    } catch {
      throw new WixTimeoutError('charge', null);
    }
    for (;;) {
      let lease: LockLease | null;
      try {
        lease = await withSpan('charge.lock', {}, () => lock.tryAcquire(key, this.lockTtlMs));
      } catch (error) {
        if (error instanceof CoordinationUnavailableError) throw error;
        throw new CoordinationUnavailableError(error instanceof Error ? error.message : String(error));
      }
      if (lease) {
        try {
          return await this.execute(key, fingerprint, call, request, lease);
        } finally {
          await lease.release(this.settling.remaining(key)).catch(() => undefined); // it expires on its own
        }
      }
      // Another replica is charging this key: wait for it, then decide from what it left.
      try {
        await sleep(25 + Math.random() * 50, undefined, { signal: call.signal });
      } catch {
        return UNKNOWN;
      }
    }
  }

  private async execute(
    key: string,
    fingerprint: string,
    call: ChargeCall,
    request: ChargeRequest,
    lease: LockLease | null,
  ): Promise<ChargeOutcome> {
    const { store } = this.options;
    const doneKey = `done\u0000${key}\u0000${call.tenant}`;
    const sentKey = `sent\u0000${key}`;
    const done = await store.get(doneKey);
    if (done?.kind === 'done') return done.fingerprint === fingerprint ? done.outcome : { kind: 'keyReused' };
    // Not settled for these credentials: the upstream lookup that precedes every send decides.
    // Whichever input the upstream recorded owns the key; if none, this input may charge.
    const sentRecord = await store.get(sentKey);
    const sentBefore = sentRecord?.kind === 'sent' ? sentRecord.fingerprints : [];
    const state: SendState = {
      sent: sentBefore.includes(fingerprint),
      otherSent: sentBefore.some((f) => f !== fingerprint),
    };
    const recordSend = async () => {
      const latest = await store.get(sentKey);
      const fingerprints = (latest?.kind === 'sent' ? latest.fingerprints : []).filter((f) => f !== fingerprint);
      await store.set(
        sentKey,
        { kind: 'sent', fingerprints: [...fingerprints, fingerprint].slice(-MAX_SENT_FINGERPRINTS) },
        this.replayTtlMs,
      );
    };
    const outcome = await this.attemptUntilKnown(key, call, request, state, recordSend, lease);
    // `keyReused` belongs to another input: not this input's outcome to remember, or the rightful
    // owner's retries would be refused too. `unknown` is not an outcome.
    if (outcome.kind === 'charged' || outcome.kind === 'insufficient') {
      // A replay record lost to a store outage costs a lookup later, never this answer.
      await store.set(doneKey, { kind: 'done', fingerprint, outcome }, this.replayTtlMs).catch(() => undefined);
    }
    return outcome;
  }

  /** Milliseconds before a send under this key may go out: open settle window, or a fresh process. */
  private settleRemaining(key: string): number {
    return Math.max(this.settling.remaining(key), this.startupSettledAt - performance.now(), 0);
  }

  private async attemptUntilKnown(
    key: string,
    call: ChargeCall,
    request: ChargeRequest,
    state: SendState,
    recordSend: () => Promise<void>,
    lease: LockLease | null,
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
        // Only a lookup that started after every earlier send settled can license a send.
        const waitBeforeLookup = this.settleRemaining(key);
        const found = await this.lookUp(call, request.idempotencyKey);
        if (found) return this.outcomeOf(found, request, state);
        if (waitBeforeLookup > 0) {
          await withSpan('charge.settle_wait', {}, () =>
            sleep(this.settleRemaining(key), undefined, { signal: call.signal }),
          );
          continue;
        }
        if (lease && !(await this.extendLease(lease, this.sendLeaseMs))) {
          // The lock lapsed: another replica may be charging this key now. Send nothing.
          if (state.sent) return UNKNOWN;
          throw new CoordinationUnavailableError('the key lock was lost before sending');
        }
        try {
          const transaction = await withSpan('charge.send', {}, () => this.client.charge(call, request, body));
          // A deduplicating upstream answers a repeated key with the original transaction.
          return matchTransaction(transaction, request) === 'mismatch'
            ? { kind: 'keyReused' }
            : { kind: 'charged', transaction };
        } catch (error) {
          if (mayHaveReachedUpstream(error)) {
            state.sent = true;
            this.settling.open(key, this.settleMs);
            if (lease) await this.extendLease(lease, this.sendLeaseMs);
            // A store outage must not hide the send's own outcome: the record only refines answers.
            await recordSend().catch(() => undefined);
          }
          throw error;
        }
      } catch (error) {
        if (call.signal.aborted) {
          lastError = error instanceof WixError ? error : new WixTimeoutError('charge', null);
          break;
        }
        const refusal = this.refusal(error, request);
        if (refusal)
          return refusal.kind === 'keyReused' || state.sent ? this.recheck(call, request, state, refusal) : refusal;
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
      const retryAfterMs =
        lastError instanceof WixHttpError && lastError.retryAfterSeconds !== null
          ? Math.min(lastError.retryAfterSeconds * 1000, 5_000)
          : 0;
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

  private async extendLease(lease: LockLease, ms: number): Promise<boolean> {
    try {
      return await lease.extend(ms);
    } catch {
      return false;
    }
  }

  /**
   * A refusal (insufficient credits after an earlier send of unknown fate; key reused upstream)
   * may hide this input's own debit: look once more before answering.
   */
  private async recheck(
    call: ChargeCall,
    request: ChargeRequest,
    state: SendState,
    refusal: DefiniteChargeOutcome,
  ): Promise<ChargeOutcome> {
    try {
      const found = await this.lookUp(call, request.idempotencyKey);
      if (found) return this.outcomeOf(found, request, state);
      // Key reused upstream, yet nothing under it: a send of ours (or another process's) is pending.
      return refusal.kind === 'keyReused' ? UNKNOWN : refusal;
    } catch {
      return UNKNOWN;
    }
  }

  /**
   * The outcome a transaction found under the key means for this input. A loose match (the
   * upstream priced it, or its amount was undecodable) is only this input's own when no other
   * input was sent under the key; otherwise who owns it cannot be told, and the answer is unknown.
   */
  private outcomeOf(found: CreditTransaction, request: ChargeRequest, state: SendState): ChargeOutcome {
    const match = matchTransaction(found, request);
    if (match === 'exact' || (match === 'loose' && !state.otherSent)) return { kind: 'charged', transaction: found };
    return match === 'loose' ? UNKNOWN : { kind: 'keyReused' };
  }

  /** The transaction recorded under this key, if any. */
  private lookUp(call: ChargeCall, idempotencyKey: string): Promise<CreditTransaction | null> {
    return withSpan('charge.lookup', {}, () => this.lookUpNow(call, idempotencyKey));
  }

  private async lookUpNow(call: ChargeCall, idempotencyKey: string): Promise<CreditTransaction | null> {
    // fresh: a lookup decides whether to resend, so it must be sent now, never share an earlier call.
    const page = await this.client.queryTransactions(
      { ...call, fresh: true },
      { filter: { idempotencyKey }, limit: 1, order: 'ASC' },
    );
    const found = page.items[0];
    if (!found) return null;
    // An upstream that ignored the filter must not pass another charge off as this one.
    if (found.idempotencyKey?.toLowerCase() !== idempotencyKey.toLowerCase()) {
      throw new WixResponseDecodeError('queryTransactions', 'a lookup by idempotencyKey returned another key', null);
    }
    return found;
  }

  /** Business refusals of a charge: insufficient credits, or the key already used upstream. */
  private refusal(error: unknown, request: ChargeRequest): DefiniteChargeOutcome | null {
    if (!(error instanceof WixHttpError)) return null;
    if (error.status === 428 || error.code === 'INSUFFICIENT_CREDITS') {
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
}
