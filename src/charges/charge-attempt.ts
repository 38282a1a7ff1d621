/**
 * One execution of a charge under its key, as a state machine. Every send is preceded by a
 * lookup of the key, and only a lookup *started* after every earlier send settled may license a
 * send:
 *
 *   lookingUp ──found──────────────────────────────────────────────▶ settled
 *       │  └──nothing, but a send may still commit──▶ settling ──▶ lookingUp
 *       └──nothing, no send pending──▶ notSent ──hold for a send──▶ sending
 *   sending ──charged──▶ settled          ──insufficient / keyReused──▶ settled or rechecking
 *           ──fate unknown (sent)──▶ backingOff ──▶ lookingUp ──▶ settling ──▶ lookingUp …
 *           ──refused, no effect──▶ backingOff, or settled/failed when not retryable
 *   backingOff ──▶ lookingUp        (or, when the upstream asks for a wait past the backoff's
 *                                    Retry-After cap, settled/failed as for a non-retryable failure)
 *   rechecking ──▶ settled          (a refusal may hide this input's own earlier debit)
 *
 * When the request's deadline passes in any state before `settled`, the attempt ends: `unknown`
 * if anything may have been sent, otherwise the last failure (nothing was charged).
 * Coordination (single flight, the replica lease, settle windows) is not here: the attempt asks
 * a `SendGuard` whether and when it may send.
 */
import { backoffDelayMs, waitUnlessAborted, type BackoffOptions } from '../common/backoff';
import type { ChargeOutcome, CreditTransaction, DefiniteChargeOutcome } from '../domain/credits';
import { matchTransaction } from './charge-fingerprint';
import { withSpan } from '../telemetry/tracing';
import type { ChargeUpstream, LookupResult, PreparedCharge, UpstreamCall, UpstreamFailure } from './charge-upstream';
import { CoordinationUnavailableError } from './coordination';

const UNKNOWN: ChargeOutcome = { kind: 'unknown' };

export type AttemptState =
  /** Asking the upstream what is recorded under the key. */
  | { name: 'lookingUp' }
  /** An earlier send may still commit: wait for its settle window to close, then look again. */
  | { name: 'settling' }
  /** Nothing recorded and no send pending: clear to send once the key is held for it. */
  | { name: 'notSent' }
  /** The key is held for a send: send the prepared bytes. */
  | { name: 'sending' }
  /** A retryable failure: wait (backoff, at least Retry-After), then look again. */
  | { name: 'backingOff'; failure: UpstreamFailure }
  /** A refusal after a send of unknown fate (or key reuse) may hide this input's debit: look once more. */
  | { name: 'rechecking'; refusal: DefiniteChargeOutcome }
  /** Final: the outcome (`unknown` when it happened at most once and the deadline came first). */
  | { name: 'settled'; outcome: ChargeOutcome }
  /** Final: nothing was charged, and this is why. */
  | { name: 'failed'; error: Error };

/** What the attempt asks of coordination before and after a send. */
export interface SendGuard {
  /** Milliseconds before a send under the key may go out (an earlier send may still commit). */
  settleRemaining(): number;
  /** Just before a send: hold the key through the send and its settle window. False: the hold was lost. */
  holdForSend(): Promise<boolean>;
  /** After a send of unknown fate: open its settle window, keep holding the key, remember the send. */
  sentWithFateUnknown(): Promise<void>;
}

/** What one execution knows about sends under its key. */
export interface SendState {
  /** Some send of this input, now or earlier, may have reached the upstream. */
  sent: boolean;
  /** Some send of another input under the key may have reached the upstream. */
  otherSent: boolean;
}

export interface AttemptOptions {
  upstream: ChargeUpstream;
  call: UpstreamCall;
  charge: PreparedCharge;
  guard: SendGuard;
  sends: SendState;
  /** The wait between attempts, as for reads: TIMING_DEFAULTS.backoff unless configured otherwise. */
  backoff: BackoffOptions;
}

export class ChargeAttempt {
  /** Waits so far: the next one is retry number `retries + 1`. */
  private retries = 0;
  /** The last failure: what a charge that sent nothing ends with at its deadline. */
  private lastFailure: UpstreamFailure | undefined;

  constructor(private readonly o: AttemptOptions) {}

  /** Runs the machine from `lookingUp` to a final state. */
  async run(): Promise<ChargeOutcome> {
    let state: AttemptState = { name: 'lookingUp' };
    for (;;) {
      if (state.name === 'settled') return state.outcome;
      if (state.name === 'failed') throw state.error;
      state = this.o.call.signal.aborted ? this.expired() : await this.step(state);
    }
  }

  /** One transition out of a non-final state. */
  step(state: Exclude<AttemptState, { name: 'settled' | 'failed' }>): Promise<AttemptState> {
    switch (state.name) {
      case 'lookingUp':
        return this.lookUp();
      case 'settling':
        return this.settle();
      case 'notSent':
        return this.holdForSend();
      case 'sending':
        return this.send();
      case 'backingOff':
        return this.backOff(state.failure);
      case 'rechecking':
        return this.recheck(state.refusal);
    }
  }

  /** The deadline passed: `unknown` once anything may have been sent, else the last failure. */
  expired(): AttemptState {
    if (this.o.sends.sent) return { name: 'settled', outcome: UNKNOWN };
    return { name: 'failed', error: this.lastFailure?.error ?? this.o.upstream.deadlineError() };
  }

  private async lookUp(): Promise<AttemptState> {
    // Decided before the lookup starts: a lookup spanning the window's end licenses nothing.
    const licensed = this.o.guard.settleRemaining() === 0;
    const found = await this.lookUpKey();
    if (found.kind === 'found') return { name: 'settled', outcome: this.outcomeOf(found.transaction) };
    if (found.kind === 'failed') return this.failedWith(found.failure);
    return licensed ? { name: 'notSent' } : { name: 'settling' };
  }

  private async settle(): Promise<AttemptState> {
    const waited = await withSpan('charge.settle_wait', {}, () => this.wait(this.o.guard.settleRemaining()));
    return waited ? { name: 'lookingUp' } : this.expired();
  }

  private async holdForSend(): Promise<AttemptState> {
    if (await this.o.guard.holdForSend()) return { name: 'sending' };
    // The hold lapsed: another replica may be charging this key now. Send nothing.
    if (this.o.sends.sent) return { name: 'settled', outcome: UNKNOWN };
    return { name: 'failed', error: new CoordinationUnavailableError('the key lock was lost before sending') };
  }

  private async send(): Promise<AttemptState> {
    const result = await withSpan('charge.send', {}, () => this.o.upstream.send(this.o.call, this.o.charge));
    switch (result.kind) {
      case 'charged':
        // A deduplicating upstream answers a repeated key with the original transaction.
        if (matchTransaction(result.transaction, this.o.charge.request) === 'mismatch')
          return { name: 'settled', outcome: { kind: 'keyReused' } };
        return { name: 'settled', outcome: { kind: 'charged', transaction: result.transaction } };
      case 'insufficient':
      case 'keyReused':
        return result.kind === 'keyReused' || this.o.sends.sent
          ? { name: 'rechecking', refusal: result }
          : { name: 'settled', outcome: result };
      case 'fateUnknown':
        this.o.sends.sent = true;
        // A store outage must not hide the send's own outcome: the guard only refines answers.
        await this.o.guard.sentWithFateUnknown().catch(() => undefined);
        return this.failedWith(result.failure);
      case 'refusedNoEffect':
        return this.failedWith(result.failure);
    }
  }

  private async backOff(failure: UpstreamFailure): Promise<AttemptState> {
    const waitMs = backoffDelayMs(this.o.backoff, ++this.retries, failure.retryAfterMs);
    // The upstream asks for a longer pause than reads would wait: end as for a definite failure.
    if (waitMs === null) return this.givenUp(failure);
    return (await this.wait(waitMs)) ? { name: 'lookingUp' } : this.expired();
  }

  private async recheck(refusal: DefiniteChargeOutcome): Promise<AttemptState> {
    const found = await this.lookUpKey();
    if (found.kind === 'found') return { name: 'settled', outcome: this.outcomeOf(found.transaction) };
    // Key reused upstream, yet nothing under it: a send of ours (or another process's) is pending.
    if (found.kind === 'failed' || refusal.kind === 'keyReused') return { name: 'settled', outcome: UNKNOWN };
    return { name: 'settled', outcome: refusal };
  }

  /** A failed call: try again after a while, or end now (unknown once anything may have been sent). */
  private failedWith(failure: UpstreamFailure): AttemptState {
    this.lastFailure = failure;
    return failure.retryable ? { name: 'backingOff', failure } : this.givenUp(failure);
  }

  /** No more tries: a definite failure (e.g. credentials rejected, breaker open) says nothing of an earlier send. */
  private givenUp(failure: UpstreamFailure): AttemptState {
    return this.o.sends.sent ? { name: 'settled', outcome: UNKNOWN } : { name: 'failed', error: failure.error };
  }

  /**
   * The outcome a transaction found under the key means for this input. A loose match (the
   * upstream priced it, or its amount was undecodable) is only this input's own when no other
   * input was sent under the key; otherwise who owns it cannot be told, and the answer is unknown.
   */
  private outcomeOf(found: CreditTransaction): ChargeOutcome {
    const match = matchTransaction(found, this.o.charge.request);
    if (match === 'exact' || (match === 'loose' && !this.o.sends.otherSent))
      return { kind: 'charged', transaction: found };
    return match === 'loose' ? UNKNOWN : { kind: 'keyReused' };
  }

  private lookUpKey(): Promise<LookupResult> {
    return withSpan('charge.lookup', {}, () =>
      this.o.upstream.lookUp(this.o.call, this.o.charge.request.idempotencyKey),
    );
  }

  /** Sleeps until the deadline at most: false when the deadline passed first. */
  private wait(ms: number): Promise<boolean> {
    return waitUnlessAborted(Math.max(0, ms), this.o.call.signal);
  }
}
