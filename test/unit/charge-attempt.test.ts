/** Each transition of the charge attempt's state machine, against a fake upstream port and guard. */
import { ChargeAttempt, type AttemptState, type SendGuard, type SendState } from '../../src/charges/charge-attempt';
import { CoordinationUnavailableError } from '../../src/charges/coordination';
import { TIMING_DEFAULTS } from '../../src/config';
import type { CreditTransaction } from '../../src/domain/credits';
import type { ChargeRequest } from '../../src/domain/charge-request';
import { toGuid } from '../../src/domain/guid';
import {
  FakeChargeUpstream,
  charged,
  failure,
  fateUnknown,
  found,
  insufficient,
  keyReused,
  lookupFailed,
  notFound,
  refusedNoEffect,
  transactionUnder,
} from '../support/fake-charge-upstream';

const KEY = toGuid('0b6f3c1e-2a4d-4c8e-9f10-a1b2c3d4e5f6');
const request: ChargeRequest = { credits: 2, idempotencyKey: KEY };

const tx = (overrides: Partial<CreditTransaction> = {}) => transactionUnder(KEY, overrides);

interface Setup {
  upstream: FakeChargeUpstream;
  sends?: Partial<SendState>;
  guard?: Partial<SendGuard>;
  deadlineMs?: number;
}

function attempt({ upstream, sends, guard, deadlineMs = 5_000 }: Setup) {
  const sendState: SendState = { sent: false, otherSent: false, ...sends };
  const unknownSends: number[] = [];
  const fullGuard: SendGuard = {
    settleRemaining: () => 0,
    holdForSend: async () => true,
    sentWithFateUnknown: async () => void unknownSends.push(Date.now()),
    ...guard,
  };
  const machine = new ChargeAttempt({
    upstream,
    call: { credentials: { authorization: 'k', accountId: 'a' }, signal: AbortSignal.timeout(deadlineMs) },
    charge: upstream.prepare(request),
    guard: fullGuard,
    sends: sendState,
    backoff: { ...TIMING_DEFAULTS.backoff, initialDelayMs: 1, maxDelayMs: 5 },
  });
  return { machine, sendState, unknownSends };
}

const settled = (outcome: unknown): AttemptState => ({ name: 'settled', outcome }) as AttemptState;

describe('charge attempt: lookingUp', () => {
  it('settles as charged when an exact match is recorded under the key, sending nothing', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [found(tx())] });
    await expect(attempt({ upstream }).machine.step({ name: 'lookingUp' })).resolves.toEqual(
      settled({ kind: 'charged', transaction: tx() }),
    );
    expect(upstream.calls.sends).toBe(0);
  });

  it('settles as keyReused when another input is recorded under the key', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [found(tx({ amount: { credits: 9, cost: null } }))] });
    await expect(attempt({ upstream }).machine.step({ name: 'lookingUp' })).resolves.toEqual(
      settled({ kind: 'keyReused' }),
    );
  });

  it('settles as unknown on a loose match when another input was also sent under the key', async () => {
    const priced = tx({ amount: { credits: 2, cost: { amount: '1', currencyCode: 'USD', formattedValue: null } } });
    const upstream = new FakeChargeUpstream({ lookUp: [found(priced)] });
    await expect(
      attempt({ upstream, sends: { otherSent: true } }).machine.step({ name: 'lookingUp' }),
    ).resolves.toEqual(settled({ kind: 'unknown' }));
  });

  it('goes to notSent when nothing is recorded and no send is pending', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    await expect(attempt({ upstream }).machine.step({ name: 'lookingUp' })).resolves.toEqual({ name: 'notSent' });
  });

  it('goes to settling when nothing is recorded but a settle window was open as the lookup started', async () => {
    let remaining = 100;
    const upstream = new FakeChargeUpstream({
      lookUp: () => {
        remaining = 0; // the window closes while the lookup runs: that lookup still licenses nothing
        return notFound;
      },
    });
    await expect(
      attempt({ upstream, guard: { settleRemaining: () => remaining } }).machine.step({ name: 'lookingUp' }),
    ).resolves.toEqual({ name: 'settling' });
  });

  it('backs off after a retryable lookup failure', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [lookupFailed('503')] });
    await expect(attempt({ upstream }).machine.step({ name: 'lookingUp' })).resolves.toMatchObject({
      name: 'backingOff',
    });
  });

  it('fails with the error after a final lookup failure when nothing was sent, and is unknown when something was', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [lookupFailed('401', false)] });
    await expect(attempt({ upstream }).machine.step({ name: 'lookingUp' })).resolves.toMatchObject({
      name: 'failed',
      error: { message: '401' },
    });
    await expect(attempt({ upstream, sends: { sent: true } }).machine.step({ name: 'lookingUp' })).resolves.toEqual(
      settled({ kind: 'unknown' }),
    );
  });
});

describe('charge attempt: settling', () => {
  it('waits for the settle window to close, then looks up again', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    const closesAt = Date.now() + 80;
    const { machine } = attempt({ upstream, guard: { settleRemaining: () => Math.max(0, closesAt - Date.now()) } });
    await expect(machine.step({ name: 'settling' })).resolves.toEqual({ name: 'lookingUp' });
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt - 5);
    expect(upstream.calls.lookups).toBe(0);
  });

  it('ends at the deadline when the window outlasts it: unknown, as a send is pending', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    const { machine } = attempt({
      upstream,
      sends: { sent: true },
      guard: { settleRemaining: () => 60_000 },
      deadlineMs: 50,
    });
    await expect(machine.step({ name: 'settling' })).resolves.toEqual(settled({ kind: 'unknown' }));
  });
});

describe('charge attempt: notSent', () => {
  it('goes to sending once the key is held for the send', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    await expect(attempt({ upstream }).machine.step({ name: 'notSent' })).resolves.toEqual({ name: 'sending' });
  });

  it('sends nothing when the hold was lost: coordination unavailable, or unknown after an earlier send', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    const lost = { holdForSend: async () => false };
    const first = await attempt({ upstream, guard: lost }).machine.step({ name: 'notSent' });
    expect(first).toMatchObject({ name: 'failed' });
    expect(first.name === 'failed' && first.error).toBeInstanceOf(CoordinationUnavailableError);
    await expect(
      attempt({ upstream, guard: lost, sends: { sent: true } }).machine.step({ name: 'notSent' }),
    ).resolves.toEqual(settled({ kind: 'unknown' }));
    expect(upstream.calls.sends).toBe(0);
  });
});

describe('charge attempt: sending', () => {
  it('settles as charged on a debit recording this input', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [charged(tx())] });
    await expect(attempt({ upstream }).machine.step({ name: 'sending' })).resolves.toEqual(
      settled({ kind: 'charged', transaction: tx() }),
    );
  });

  it('settles as keyReused when the 2xx answer records another input', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [charged(tx({ description: 'other' }))] });
    await expect(attempt({ upstream }).machine.step({ name: 'sending' })).resolves.toEqual(
      settled({ kind: 'keyReused' }),
    );
  });

  it('settles as insufficient when nothing was sent before; rechecks when an earlier send may have debited', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [insufficient] });
    await expect(attempt({ upstream }).machine.step({ name: 'sending' })).resolves.toEqual(settled(insufficient));
    await expect(attempt({ upstream, sends: { sent: true } }).machine.step({ name: 'sending' })).resolves.toEqual({
      name: 'rechecking',
      refusal: insufficient,
    });
  });

  it('rechecks after key reuse, whatever was sent', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [keyReused] });
    await expect(attempt({ upstream }).machine.step({ name: 'sending' })).resolves.toEqual({
      name: 'rechecking',
      refusal: keyReused,
    });
  });

  it('after a send of unknown fate: marks it sent, tells the guard, and backs off', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [fateUnknown()] });
    const { machine, sendState, unknownSends } = attempt({ upstream });
    await expect(machine.step({ name: 'sending' })).resolves.toMatchObject({ name: 'backingOff' });
    expect(sendState.sent).toBe(true);
    expect(unknownSends).toHaveLength(1);
  });

  it('keeps going when the guard fails to record a send of unknown fate (a store outage)', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound], send: [fateUnknown()] });
    const guard = { sentWithFateUnknown: () => Promise.reject(new Error('store down')) };
    await expect(attempt({ upstream, guard }).machine.step({ name: 'sending' })).resolves.toMatchObject({
      name: 'backingOff',
    });
  });

  it('backs off after a retryable refusal with no effect; fails on a final one, sending nothing more', async () => {
    const retryable = new FakeChargeUpstream({ lookUp: [notFound], send: [refusedNoEffect('429')] });
    await expect(attempt({ upstream: retryable }).machine.step({ name: 'sending' })).resolves.toMatchObject({
      name: 'backingOff',
    });
    const final = new FakeChargeUpstream({ lookUp: [notFound], send: [refusedNoEffect('breaker open', false)] });
    await expect(attempt({ upstream: final }).machine.step({ name: 'sending' })).resolves.toMatchObject({
      name: 'failed',
      error: { message: 'breaker open' },
    });
  });
});

describe('charge attempt: backingOff', () => {
  it("waits at least the upstream's Retry-After, then looks up again", async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    const started = Date.now();
    await expect(
      attempt({ upstream }).machine.step({ name: 'backingOff', failure: failure('429', true, 120) }),
    ).resolves.toEqual({ name: 'lookingUp' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('ends as a definite failure when the Retry-After is past the backoff cap: failed, or unknown once sent', async () => {
    const tooLong = TIMING_DEFAULTS.backoff.maxRetryAfterMs + 1;
    const fresh = new FakeChargeUpstream({ lookUp: [notFound] });
    await expect(
      attempt({ upstream: fresh }).machine.step({ name: 'backingOff', failure: failure('429', true, tooLong) }),
    ).resolves.toMatchObject({ name: 'failed', error: { message: '429' } });
    const sent = new FakeChargeUpstream({ lookUp: [notFound] });
    await expect(
      attempt({ upstream: sent, sends: { sent: true } }).machine.step({
        name: 'backingOff',
        failure: failure('429', true, tooLong),
      }),
    ).resolves.toEqual(settled({ kind: 'unknown' }));
    expect(fresh.calls.lookups + sent.calls.lookups).toBe(0);
  });

  it('ends at the deadline: the last failure when nothing was sent', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound] });
    const { machine } = attempt({ upstream, deadlineMs: 30 });
    await expect(
      machine.step({ name: 'backingOff', failure: failure('429', true, TIMING_DEFAULTS.backoff.maxRetryAfterMs) }),
    ).resolves.toMatchObject({
      name: 'failed',
    });
  });
});

describe('charge attempt: rechecking', () => {
  it('settles with what the upstream recorded under the key', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [found(tx())] });
    await expect(
      attempt({ upstream, sends: { sent: true } }).machine.step({ name: 'rechecking', refusal: insufficient }),
    ).resolves.toEqual(settled({ kind: 'charged', transaction: tx() }));
  });

  it('keeps the refusal when nothing is recorded; key reuse with nothing recorded, or a failed lookup, is unknown', async () => {
    const nothing = new FakeChargeUpstream({ lookUp: [notFound] });
    await expect(
      attempt({ upstream: nothing }).machine.step({ name: 'rechecking', refusal: insufficient }),
    ).resolves.toEqual(settled(insufficient));
    await expect(
      attempt({ upstream: nothing }).machine.step({ name: 'rechecking', refusal: keyReused }),
    ).resolves.toEqual(settled({ kind: 'unknown' }));
    const failing = new FakeChargeUpstream({ lookUp: [lookupFailed()] });
    await expect(
      attempt({ upstream: failing }).machine.step({ name: 'rechecking', refusal: insufficient }),
    ).resolves.toEqual(settled({ kind: 'unknown' }));
  });
});

describe('charge attempt: deadline', () => {
  it('is unknown once anything may have been sent; otherwise the last failure, or the deadline error', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [lookupFailed('503')] });
    expect(attempt({ upstream, sends: { sent: true } }).machine.expired()).toEqual(settled({ kind: 'unknown' }));
    expect(attempt({ upstream }).machine.expired()).toMatchObject({
      name: 'failed',
      error: { message: 'deadline passed' },
    });
    const { machine } = attempt({ upstream });
    await machine.step({ name: 'lookingUp' });
    expect(machine.expired()).toMatchObject({ name: 'failed', error: { message: '503' } });
  });

  it('runs the whole machine: lookingUp → notSent → sending → backingOff → lookingUp → settled', async () => {
    const upstream = new FakeChargeUpstream({ lookUp: [notFound, found(tx())], send: [fateUnknown()] });
    await expect(attempt({ upstream }).machine.run()).resolves.toEqual({ kind: 'charged', transaction: tx() });
    expect(upstream.calls).toEqual({ lookups: 2, sends: 1 });
  });
});
