/**
 * The idempotency bookkeeping of charges, over an `IdempotencyStore`: which inputs may have been
 * sent under a key of an account, and each finished outcome per key *and* credentials (only
 * those who learnt an outcome get it replayed). Losing a record never risks a double debit —
 * every send is preceded by an upstream lookup — it only makes answers less precise.
 */
import type { DefiniteChargeOutcome } from '../domain/credits';
import type { SendState } from './charge-attempt';
import type { IdempotencyStore } from './idempotency-store';

/** How many distinct inputs under one key are remembered as sent. */
const MAX_SENT_FINGERPRINTS = 16;

export class ChargeRecords {
  constructor(
    private readonly store: IdempotencyStore,
    /** How long finished outcomes replay, and sends are remembered. */
    private readonly ttlMs: number,
  ) {}

  /**
   * The outcome to replay for these credentials, if the key settled: its own outcome for the same
   * input, `keyReused` for another. `keyReused` and `unknown` are never recorded (see `settled`).
   */
  async replay(key: string, tenant: string, fingerprint: string): Promise<DefiniteChargeOutcome | null> {
    const done = await this.store.get(doneKey(key, tenant));
    if (done?.kind !== 'done') return null;
    return done.fingerprint === fingerprint ? done.outcome : { kind: 'keyReused' };
  }

  /** What earlier executions may have sent under the key, as seen by this input. */
  async sends(key: string, fingerprint: string): Promise<SendState> {
    const record = await this.store.get(sentKey(key));
    const before = record?.kind === 'sent' ? record.fingerprints : [];
    return { sent: before.includes(fingerprint), otherSent: before.some((f) => f !== fingerprint) };
  }

  /** Remembers that this input may have reached the upstream under the key. */
  async sent(key: string, fingerprint: string): Promise<void> {
    const latest = await this.store.get(sentKey(key));
    const others = (latest?.kind === 'sent' ? latest.fingerprints : []).filter((f) => f !== fingerprint);
    await this.store.set(
      sentKey(key),
      { kind: 'sent', fingerprints: [...others, fingerprint].slice(-MAX_SENT_FINGERPRINTS) },
      this.ttlMs,
    );
  }

  /**
   * Remembers an execution's outcome for replay. `keyReused` belongs to another input: not this
   * input's outcome to remember, or the rightful owner's retries would be refused too. `unknown`
   * is not an outcome. A record lost to a store outage costs a lookup later, never this answer.
   */
  async settled(
    key: string,
    tenant: string,
    fingerprint: string,
    outcome: DefiniteChargeOutcome | { kind: 'unknown' },
  ): Promise<void> {
    if (outcome.kind !== 'charged' && outcome.kind !== 'insufficient') return;
    await this.store
      .set(doneKey(key, tenant), { kind: 'done', fingerprint, outcome }, this.ttlMs)
      .catch(() => undefined);
  }
}

const doneKey = (key: string, tenant: string) => `done\u0000${key}\u0000${tenant}`;
const sentKey = (key: string) => `sent\u0000${key}`;
