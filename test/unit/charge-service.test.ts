/** The charge service's decisions, against a fake upstream port (no network, no Wix protocol). */
import { ChargeService, type ChargeCall } from '../../src/charges/charge-service';
import type { LookupResult, SendResult } from '../../src/charges/charge-upstream';
import { MemoryIdempotencyStore } from '../../src/charges/idempotency-store';
import type { KeyLock } from '../../src/charges/coordination';
import { TIMING_DEFAULTS } from '../../src/config';
import type { CreditTransaction } from '../../src/domain/credits';
import type { ChargeRequest } from '../../src/domain/charge-request';
import { toGuid } from '../../src/domain/guid';
import {
  FakeChargeUpstream,
  charged,
  fateUnknown,
  found,
  insufficient,
  keyReused,
  lookupFailed,
  notFound,
  refusedNoEffect,
  transactionUnder,
} from '../support/fake-charge-upstream';
import { delay } from '../support/time';
import { opaqueId } from '../support/guids';

const KEY = toGuid('4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b');

const tx = (overrides: Partial<CreditTransaction> = {}) => transactionUnder(KEY, overrides);

const call = (deadlineMs = 2_000): ChargeCall => ({
  credentials: { authorization: 'k', accountId: 'a' },
  tenant: 't',
  scope: 'account:a',
  signal: AbortSignal.timeout(deadlineMs),
});

const request = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  credits: 2,
  idempotencyKey: KEY,
  ...overrides,
});

/** The service's timings as the gateway passes them, with a short backoff. */
const timing = {
  replayTtlMs: TIMING_DEFAULTS.chargeReplayTtlMs,
  backoff: { ...TIMING_DEFAULTS.backoff, initialDelayMs: 1, maxDelayMs: 5 },
};

/** A lock held as the gateway holds it. */
const locked = (keys: KeyLock) => ({
  keys,
  lease: { holdMs: TIMING_DEFAULTS.leaseHoldMs, sendLeaseMs: 60_000, pollMs: TIMING_DEFAULTS.leasePollMs },
});

const service = (upstream: FakeChargeUpstream, settleMs = 0) =>
  new ChargeService(upstream, {
    ...timing,
    store: new MemoryIdempotencyStore(),
    settleMs,
    startupSettleMs: 0,
  });

/** A ledger that does not deduplicate, read by lookups as of the moment they start. */
function ledgerUpstream(
  onSend: (request: ChargeRequest, ledger: { tx: CreditTransaction | null }) => Promise<SendResult> | SendResult,
  lookupMs = 0,
) {
  const ledger = { tx: null as CreditTransaction | null };
  const upstream = new FakeChargeUpstream({
    lookUp: async (): Promise<LookupResult> => {
      const seen = ledger.tx;
      if (lookupMs > 0) await delay(lookupMs);
      return seen ? found(seen) : notFound;
    },
    send: (req) => onSend(req, ledger),
  });
  return { upstream, ledger };
}

describe('ChargeService', () => {
  it('fails with the last lookup failure at the deadline when lookups keep failing, sending nothing', async () => {
    const upstream = new FakeChargeUpstream({
      lookUp: [lookupFailed('lookup returned another key')],
      send: [charged(tx())],
    });
    await expect(service(upstream).charge(call(200), request())).rejects.toThrow(/another key/);
    expect(upstream.calls.sends).toBe(0);
  });

  it('recognises its own charge when the upstream omitted an empty description and empty metadata', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [found(tx())], send: [charged(tx())] });
    const outcome = await service(upstream).charge(call(), request({ description: '', metadata: {} }));
    expect(outcome).toMatchObject({ kind: 'charged', transaction: { id: 'tx-1' } });
    expect(upstream.calls.sends).toBe(0);
  });

  it('answers unknown, not a definite error, when the lookup after a failed send is refused', async () => {
    const upstream = new FakeChargeUpstream({
      lookUp: [notFound, lookupFailed('forbidden', false)],
      send: [fateUnknown('503')],
    });
    await expect(service(upstream).charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
  });

  it('checks the key again before answering InsufficientCredits after a send of unknown fate', async () => {
    const mine = tx();
    // Send 1 times out (it was in fact debited); the next lookup misses it (replica lag); send 2
    // meets the lowered balance; the recheck finds the debit.
    const upstream = new FakeChargeUpstream({
      lookUp: [notFound, notFound, found(mine)],
      send: [fateUnknown(), insufficient],
    });
    await expect(service(upstream).charge(call(), request())).resolves.toMatchObject({
      kind: 'charged',
      transaction: { id: mine.id },
    });
  });

  it('does not resend within the settle window after an unanswered send; answers unknown at the deadline', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [fateUnknown(), charged(tx())] });
    await expect(service(upstream, 10_000).charge(call(300), request())).resolves.toEqual({ kind: 'unknown' });
    expect(upstream.calls.sends).toBe(1);
    expect(upstream.calls.lookups).toBeGreaterThanOrEqual(2);
  });

  it('resends the same request once the settle window has passed and the lookup still finds nothing', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [fateUnknown(), charged(tx())] });
    await expect(service(upstream, 50).charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(upstream.calls.sends).toBe(2);
    expect(upstream.sent[0]).toBe(upstream.sent[1]); // the same prepared request
  });

  it('reports a refusal before any send (e.g. credentials rejected) as that error, without sending', async () => {
    const upstream = new FakeChargeUpstream({
      lookUp: [lookupFailed('credentials rejected', false)],
      send: [charged(tx())],
    });
    await expect(service(upstream).charge(call(), request())).rejects.toThrow('credentials rejected');
    expect(upstream.calls.sends).toBe(0);
  });

  it('serializes concurrent duplicates of one account presenting different tokens, sharing nothing but the upstream truth', async () => {
    let sends = 0;
    const { upstream } = ledgerUpstream(async (_req, ledger) => {
      sends += 1;
      await delay(20);
      ledger.tx = tx({ id: opaqueId(`tx-${sends}`) });
      return charged(ledger.tx);
    });
    const svc = service(upstream);
    const outcomes = await Promise.all([
      svc.charge({ ...call(), tenant: 'token-1' }, request()),
      svc.charge({ ...call(), tenant: 'token-2' }, request()),
    ]);
    expect(sends).toBe(1);
    expect(outcomes.map((o) => o.kind === 'charged' && o.transaction.id)).toEqual(['tx-1', 'tx-1']);
  });

  it('only lets a lookup started after the settle window license a resend (a slow lookup spanning the window does not)', async () => {
    const { upstream } = ledgerUpstream((_req, ledger) => {
      setTimeout(() => (ledger.tx = tx()), 50); // commits after the gateway gave up
      return fateUnknown();
    }, 150);
    const outcome = await service(upstream, 100).charge(call(3_000), request());
    expect(upstream.calls.sends).toBe(1);
    expect(outcome).toMatchObject({ kind: 'charged', transaction: { id: 'tx-1' } });
  });

  it('a fresh service sends nothing before its start-up settle window closes', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [charged(tx())] });
    const fresh = new ChargeService(upstream, { ...timing, store: new MemoryIdempotencyStore(), settleMs: 100 });
    const started = Date.now();
    await expect(fresh.charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(upstream.calls.lookups).toBeGreaterThanOrEqual(2); // looked again once the window closed
  });

  it('does not claim a loosely matching transaction for an input when another input was sent under the key; the exact owner gets it', async () => {
    // Input A (with a cost) is sent and its answer lost; it was committed. Input B (same key, no
    // cost, so the upstream would price it) must not be told A's transaction is its own.
    const committed = tx({
      amount: { credits: 2, cost: { amount: '9.99', currencyCode: 'USD', formattedValue: '$9.99' } },
    });
    let readsFail = false;
    let ledger: CreditTransaction | null = null;
    const upstream = new FakeChargeUpstream({
      lookUp: () => (readsFail ? lookupFailed('timeout') : ledger ? found(ledger) : notFound),
      send: () => {
        ledger = committed;
        readsFail = true; // the answer is lost, and so are the lookups until A's deadline
        return fateUnknown();
      },
    });
    const svc = service(upstream, 0);
    const a = request({ cost: { amount: '9.99', currencyCode: 'USD' } });
    await expect(svc.charge(call(100), a)).resolves.toEqual({ kind: 'unknown' });
    readsFail = false;
    await expect(svc.charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
    await expect(svc.charge(call(), a)).resolves.toMatchObject({ kind: 'charged', transaction: { id: committed.id } });
  });

  it('keeps the outcome of one set of credentials when another token sends a different input under the key', async () => {
    const mine = tx();
    const upstream = new FakeChargeUpstream({
      lookUp: [notFound, found(mine), found(mine), lookupFailed('timeout')],
      send: [charged(mine)],
    });
    const svc = service(upstream, 0);
    await expect(svc.charge({ ...call(), tenant: 't1' }, request())).resolves.toMatchObject({ kind: 'charged' });
    await expect(svc.charge({ ...call(), tenant: 't2' }, request({ credits: 3 }))).resolves.toEqual({
      kind: 'keyReused',
    });
    // t1 retries during a read outage: its outcome replays from the store, untouched by t2.
    await expect(svc.charge({ ...call(), tenant: 't1' }, request())).resolves.toMatchObject({
      kind: 'charged',
      transaction: { id: mine.id },
    });
  });

  it('retries a refusal that took no effect, and answers unknown for key reuse with nothing found under the key', async () => {
    const conflict = new FakeChargeUpstream({ lookUp: [notFound], send: [refusedNoEffect('conflict'), charged(tx())] });
    await expect(service(conflict, 0).charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(conflict.calls.sends).toBe(2);
    const reused = new FakeChargeUpstream({ lookUp: [notFound], send: [keyReused] });
    await expect(service(reused, 0).charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
  });

  it('answers a charge whose 2xx answer records another input as IdempotencyKeyReused', async () => {
    const upstream = new FakeChargeUpstream({
      lookUp: [notFound],
      send: [charged(tx({ amount: { credits: 7, cost: null } }))],
    });
    await expect(service(upstream, 0).charge(call(), request())).resolves.toEqual({ kind: 'keyReused' });
  });

  it('keeps a settle window open even when the idempotency store evicts the key (a flood of other charges)', async () => {
    let sends = 0;
    let ledger: CreditTransaction | null = null;
    const upstream = new FakeChargeUpstream({
      lookUp: (key) => (ledger && key === KEY ? found(ledger) : notFound),
      send: (req) => {
        if (req.idempotencyKey !== KEY) return insufficient;
        sends += 1;
        setTimeout(() => (ledger = tx()), 80); // commits late
        return fateUnknown();
      },
    });
    const svc = new ChargeService(upstream, {
      ...timing,
      store: new MemoryIdempotencyStore(2),
      settleMs: 150,
      startupSettleMs: 0,
    });
    await expect(svc.charge(call(40), request())).resolves.toEqual({ kind: 'unknown' });
    for (const key of [
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
      '33333333-3333-4333-8333-333333333333',
    ]) {
      await expect(svc.charge(call(), request({ idempotencyKey: toGuid(key), credits: 1e6 }))).resolves.toMatchObject({
        kind: 'insufficient',
      });
    }
    await expect(svc.charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(sends).toBe(1);
  });

  it('sends nothing when the key lock lapsed before the send (another replica may hold it now)', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [charged(tx())] });
    const released: number[] = [];
    const lock = {
      async tryAcquire() {
        return { extend: async () => false, release: async (holdMs: number) => void released.push(holdMs) };
      },
    };
    const svc = new ChargeService(upstream, {
      ...timing,
      store: new MemoryIdempotencyStore(),
      settleMs: 0,
      startupSettleMs: 0,
      lock: locked(lock),
    });
    await expect(svc.charge(call(), request())).rejects.toThrow(/lock was lost/);
    expect(upstream.calls.sends).toBe(0);
    expect(released).toHaveLength(1);
  });
  it('replays an outcome the shared store already knows at once, even during a start-up settle window, without the lease', async () => {
    const store = new MemoryIdempotencyStore();
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [charged(tx())] });
    const first = new ChargeService(upstream, { ...timing, store, settleMs: 0, startupSettleMs: 0 });
    await expect(first.charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    let acquired = 0;
    const lock = {
      async tryAcquire() {
        acquired += 1;
        return { extend: async () => true, release: async () => undefined };
      },
    };
    // A restarted replica: a long start-up window, a lock, the same shared store.
    const restarted = new ChargeService(upstream, {
      ...timing,
      store,
      settleMs: 60_000,
      startupSettleMs: 60_000,
      lock: locked(lock),
    });
    await expect(restarted.charge(call(2_000), request())).resolves.toMatchObject({
      kind: 'charged',
      transaction: { id: 'tx-1' },
    });
    expect(acquired).toBe(0);
    expect(upstream.calls.sends).toBe(1);
  });
});
