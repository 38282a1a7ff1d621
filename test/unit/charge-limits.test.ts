/**
 * ChargeLimits around a fake charge service: reservations are made once per key, kept when the
 * charge is made or its outcome unknown, given back only when it definitely was not made; the
 * rate limit never counts replays.
 */
import type { ChargeCall, ChargeService } from '../../src/charges/charge-service';
import type { ChargeOutcome } from '../../src/domain/credits';
import type { ChargeRequest } from '../../src/domain/charge-request';
import { opaqueId } from '../support/guids';
import { ChargeLimits, utcDay } from '../../src/charges/limits/charge-limits';
import { MemoryLimitStore } from '../../src/charges/limits/limit-store';

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const DAY = '2026-12-03';
const call = { tenant: 't', scope: 's', signal: new AbortController().signal } as unknown as ChargeCall;
const subject = { id: 'sub:alice', budgetClaim: null };
const request = (key: string, credits = 1.5): ChargeRequest => ({ credits, idempotencyKey: opaqueId(key) });
const charged: ChargeOutcome = { kind: 'charged', transaction: { id: 'tx' } as never };

function rig(
  outcomes: (ChargeOutcome | Error)[],
  config: { rate?: { limit: number; windowMs: number }; budgetPerDay?: string },
) {
  const store = new MemoryLimitStore();
  const calls: string[] = [];
  const charges = {
    charge: async (_call: ChargeCall, r: ChargeRequest) => {
      calls.push(r.idempotencyKey);
      const next = outcomes.shift() ?? charged;
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as ChargeService;
  let now = NOW;
  const limits = new ChargeLimits(charges, {
    config: { rate: config.rate ?? null, budgetPerDay: config.budgetPerDay ?? null },
    store,
    now: () => now,
  });
  return { store, calls, limits, advance: (ms: number) => (now += ms) };
}

describe('charge budget', () => {
  it('an unknown outcome keeps the reservation, and its retry with the same key reserves nothing more', async () => {
    const { store, limits } = rig([{ kind: 'unknown' }, charged], { budgetPerDay: '10' });
    expect((await limits.charge(subject, call, request('k1'), 'r1')).kind).toBe('unknown');
    expect(store.usedOn('sub:alice', DAY)).toBe('1.5');
    expect((await limits.charge(subject, call, request('k1'), 'r2')).kind).toBe('charged');
    expect(store.usedOn('sub:alice', DAY)).toBe('1.5');
    // and a replay of the settled key neither reserves nor is refused for budget
    expect((await limits.charge(subject, call, request('k1'), 'r3')).kind).toBe('charged');
    expect(store.usedOn('sub:alice', DAY)).toBe('1.5');
  });

  it('gives the reservation back when the charge was definitely not made', async () => {
    const { store, limits } = rig(
      [{ kind: 'insufficient', requiredCredits: 1.5, availableCredits: 0 }, new Error('circuit open'), charged],
      { budgetPerDay: '10' },
    );
    await limits.charge(subject, call, request('k1'), 'r');
    expect(store.usedOn('sub:alice', DAY)).toBe('0');
    await expect(limits.charge(subject, call, request('k2'), 'r')).rejects.toThrow('circuit open');
    expect(store.usedOn('sub:alice', DAY)).toBe('0');
    await limits.charge(subject, call, request('k2'), 'r'); // a failed key starts afresh
    expect(store.usedOn('sub:alice', DAY)).toBe('1.5');
  });

  it('answers BudgetExceeded with exact decimals and the next UTC midnight, without calling the charge service', async () => {
    const { calls, limits } = rig([], { budgetPerDay: '0.3' });
    expect((await limits.charge(subject, call, request('a', 0.1), 'r')).kind).toBe('charged');
    expect((await limits.charge(subject, call, request('b', 0.2), 'r')).kind).toBe('charged'); // 0.1 + 0.2 = 0.3 exactly
    const refused = await limits.charge(subject, call, request('c', 0.01), 'r');
    expect(refused).toEqual({
      kind: 'budgetExceeded',
      budget: '0.3',
      used: '0.3',
      requested: '0.01',
      resetsAt: new Date(Date.UTC(2026, 11, 4)),
    });
    expect(calls).toEqual(['a', 'b']);
  });

  it('a credits_budget claim wins over the configured budget', async () => {
    const { limits } = rig([], { budgetPerDay: '100' });
    const claimed = { id: 'sub:bob', budgetClaim: '2' };
    expect((await limits.charge(claimed, call, request('a', 2), 'r')).kind).toBe('charged');
    expect((await limits.charge(claimed, call, request('b', 1), 'r')).kind).toBe('budgetExceeded');
  });

  it('starts afresh on the next UTC day', async () => {
    const { limits, advance } = rig([], { budgetPerDay: '1.5' });
    expect((await limits.charge(subject, call, request('a'), 'r')).kind).toBe('charged');
    expect((await limits.charge(subject, call, request('b'), 'r')).kind).toBe('budgetExceeded');
    advance(14 * 3_600_000);
    expect((await limits.charge(subject, call, request('b'), 'r')).kind).toBe('charged');
  });
});

describe('charge rate', () => {
  it('refuses over the limit with retryAfterSeconds, and never counts replays of a key', async () => {
    const { limits, calls } = rig([], { rate: { limit: 2, windowMs: 60_000 } });
    await limits.charge(subject, call, request('a'), 'r');
    await limits.charge(subject, call, request('b'), 'r');
    for (let i = 0; i < 5; i++) expect((await limits.charge(subject, call, request('a'), 'r')).kind).toBe('charged'); // replays
    await expect(limits.charge(subject, call, request('c'), 'r')).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 },
    });
    expect(calls.filter((k) => k === 'c')).toEqual([]);
  });

  it('counts each subject apart', async () => {
    const { limits } = rig([], { rate: { limit: 1, windowMs: 60_000 } });
    await limits.charge(subject, call, request('a'), 'r');
    expect((await limits.charge({ id: 'sub:carol', budgetClaim: null }, call, request('b'), 'r')).kind).toBe('charged');
  });
});

describe('utcDay', () => {
  it('names the UTC day and its end', () => {
    expect(utcDay(Date.UTC(2026, 11, 31, 23, 59))).toEqual({
      day: '2026-12-31',
      resetsAt: new Date(Date.UTC(2027, 0, 1)),
    });
  });
});

describe('charge audit', () => {
  it('logs one line per outcome with subject, tenant digest, key, credits, outcome, transaction id and request id', async () => {
    const lines: unknown[] = [];
    const charges = { charge: async () => charged } as unknown as ChargeService;
    const limits = new ChargeLimits(charges, {
      config: { rate: null, budgetPerDay: '1' },
      store: new MemoryLimitStore(),
      audit: (e) => lines.push(e),
      now: () => NOW,
    });
    await limits.charge(subject, call, request('k1', 1), 'req-1');
    await limits.charge(subject, call, request('k2', 1), 'req-2');
    expect(lines).toEqual([
      {
        subject: 'sub:alice',
        tenant: 't',
        idempotencyKey: 'k1',
        credits: 1,
        outcome: 'charged',
        transactionId: 'tx',
        requestId: 'req-1',
      },
      {
        subject: 'sub:alice',
        tenant: 't',
        idempotencyKey: 'k2',
        credits: 1,
        outcome: 'budgetExceeded',
        transactionId: null,
        requestId: 'req-2',
      },
    ]);
  });
});
