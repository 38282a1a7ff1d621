/**
 * Makes a charge happen at most once per (account, idempotency key), against an upstream that
 * may or may not deduplicate. This file composes the pieces:
 *  - single flight in one process (`single-flight.ts`): concurrent requests with one key share
 *    one execution; outcomes are only shared with the same credentials;
 *  - a lease per key across replicas (`key-lease.ts`, when a `KeyLock` is given);
 *  - the idempotency bookkeeping (`charge-records.ts`): definite outcomes are remembered and
 *    replayed; a different input under a settled key is refused without an upstream call;
 *  - the attempt (`charge-attempt.ts`): look the key up before every send; after a send whose
 *    fate is unknown send nothing under the key until its settle window has passed (the
 *    upstream may still be committing it); then resend the byte-identical body, until the
 *    request's deadline; past it the outcome is `unknown` and the client retries.
 * Without a lock, a fresh process waits one settle window before its first send, as sends of a
 * previous process may still be pending (see `startupSettleMs`); with one, a pending send of a
 * dead process holds its key's lease (`key-lease.ts`) and no start-up wait is needed.
 * Assumptions about the upstream: it commits nothing later than the settle window after the
 * gateway gave up on a send, and a lookup sees every charge committed before it started.
 */
import { performance } from 'node:perf_hooks';
import type { BackoffOptions } from '../common/backoff';
import type { ChargeOutcome } from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';
import { ChargeAttempt, type SendGuard } from './charge-attempt';
import { chargeFingerprint } from './charge-fingerprint';
import { ChargeRecords } from './charge-records';
import type { ChargeUpstream, UpstreamCall } from './charge-upstream';
import type { KeyLock } from './coordination';
import type { IdempotencyStore } from './idempotency-store';
import { KeyLease, type KeyLeaseOptions } from './key-lease';
import { SettleWindows } from './settle-windows';
import { SingleFlight } from './single-flight';
import { withSpan } from '../telemetry/tracing';

/**
 * Timings come from the composition root (gateway.ts: TIMING_DEFAULTS and the configuration in
 * config.ts); this module keeps no default of its own.
 */
export interface ChargeServiceOptions {
  store: IdempotencyStore;
  /** How long finished outcomes replay. */
  replayTtlMs: number;
  /** The wait between attempts: the one backoff of reads and charges (src/backoff.ts). */
  backoff: BackoffOptions;
  /**
   * How long after an unanswered send the upstream may still commit it. No resend before then:
   * this is what keeps a slow upstream from debiting twice.
   */
  settleMs: number;
  /**
   * How long a fresh service waits before its first send (sends of a previous process may still
   * be pending upstream). Default: settleMs.
   */
  startupSettleMs?: number;
  /**
   * A lock per key across replicas (Redis) and how its lease is held (`key-lease.ts`); in one
   * process the in-flight map is enough. With a lock no start-up wait is needed: a dead
   * process's pending send still holds its key's lease.
   */
  lock?: { keys: KeyLock; lease: KeyLeaseOptions };
}

export interface ChargeCall extends UpstreamCall {
  /** Digest of the caller's credentials: who may have outcomes replayed. */
  tenant: string;
  /** The account (or site) the key lives in: what concurrent duplicates are serialized by. */
  scope: string;
}

const UNKNOWN: ChargeOutcome = { kind: 'unknown' };

export class ChargeService {
  private readonly flights = new SingleFlight();
  private readonly settling = new SettleWindows();
  private readonly records: ChargeRecords;
  /** Monotonic ms before which a fresh service sends nothing. */
  private readonly startupSettledAt: number;

  constructor(
    private readonly upstream: ChargeUpstream,
    private readonly options: ChargeServiceOptions,
  ) {
    this.records = new ChargeRecords(options.store, options.replayTtlMs);
    this.startupSettledAt = performance.now() + (options.startupSettleMs ?? options.settleMs);
  }

  charge(call: ChargeCall, request: ChargeRequest): Promise<ChargeOutcome> {
    const key = `${call.scope}\u0000${request.idempotencyKey}`;
    const fingerprint = chargeFingerprint(request);
    return this.flights.run(key, { tenant: call.tenant, fingerprint }, call.signal, () =>
      withSpan('charge', {}, async (span) => {
        const result = await this.executeExclusive(key, fingerprint, call, request);
        span?.setAttribute('charge.outcome', result.kind);
        return result;
      }),
    );
  }

  /**
   * Runs the execution while holding the key's lease, so no other replica charges the key
   * meanwhile. An outcome the shared store already knows is replayed at once, without the lease.
   * A send of unknown fate keeps the lease until its settle window closes.
   */
  private async executeExclusive(
    key: string,
    fingerprint: string,
    call: ChargeCall,
    request: ChargeRequest,
  ): Promise<ChargeOutcome> {
    const { lock } = this.options;
    if (!lock) return this.execute(key, fingerprint, call, request, null);
    const replayed = await this.records.replay(key, call.tenant, fingerprint);
    if (replayed) return replayed;
    const lease = await KeyLease.acquire(lock.keys, key, lock.lease, call.signal);
    if (!lease) return UNKNOWN;
    try {
      return await this.execute(key, fingerprint, call, request, lease);
    } finally {
      await lease.release(this.settling.remaining(key));
    }
  }

  private async execute(
    key: string,
    fingerprint: string,
    call: ChargeCall,
    request: ChargeRequest,
    lease: KeyLease | null,
  ): Promise<ChargeOutcome> {
    const replayed = await this.records.replay(key, call.tenant, fingerprint);
    if (replayed) return replayed;
    // Not settled for these credentials: the upstream lookup that precedes every send decides.
    // Whichever input the upstream recorded owns the key; if none, this input may charge.
    const guard: SendGuard = {
      settleRemaining: () => Math.max(this.settling.remaining(key), this.startupSettledAt - performance.now(), 0),
      holdForSend: async () => lease === null || (await lease.holdForSend()),
      sentWithFateUnknown: async () => {
        this.settling.open(key, this.options.settleMs);
        await lease?.heldAfterUnknownSend();
        await this.records.sent(key, fingerprint);
      },
    };
    const attempt = new ChargeAttempt({
      upstream: this.upstream,
      call,
      charge: this.upstream.prepare(request),
      guard,
      sends: await this.records.sends(key, fingerprint),
      backoff: this.options.backoff,
    });
    const outcome = await attempt.run();
    await this.records.settled(key, call.tenant, fingerprint, outcome);
    return outcome;
  }
}
