import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { Ledger, parseChargeRequest } from '../../src/sandbox';

/** Credits with up to 3 decimals, as strings so the generator itself is exact. */
const credits = fc.integer({ min: 1, max: 50_000 }).map((n) => new Decimal(n).div(1000).toFixed());
const balance = fc.integer({ min: 0, max: 100_000 }).map((n) => new Decimal(n).div(1000).toFixed());

const step = fc.record({
  credits,
  // A small key pool so replays and key reuse happen often.
  keyIndex: fc.integer({ min: 0, max: 30 }),
  description: fc.constantFrom('a', 'b'),
  deduplicate: fc.boolean(),
});

describe('ledger properties', () => {
  test("random charge sequences never drive a balance below zero, and the debited total equals the transactions' credits", () => {
    fc.assert(
      fc.property(balance, balance, fc.array(step, { maxLength: 60 }), (periodic, topUp, steps) => {
        const ledger = new Ledger();
        const accountId = randomUUID();
        ledger.addAccount({ apiKey: randomUUID(), accountId, siteId: randomUUID(), periodic, topUp });
        const keys = Array.from({ length: 31 }, () => randomUUID());
        const start = new Decimal(periodic).plus(topUp);

        for (const s of steps) {
          const before = ledger.balance(accountId);
          const req = parseChargeRequest({
            amount: { credits: s.credits },
            description: s.description,
            idempotencyKey: keys[s.keyIndex],
          });
          const outcome = ledger.charge(accountId, req, s.deduplicate);
          const after = ledger.balance(accountId);

          expect(new Decimal(after.periodic).gte(0)).toBe(true);
          expect(new Decimal(after.topUp).gte(0)).toBe(true);
          // Periodic credits go first: top-up only moves once periodic is exhausted.
          if (after.topUp !== before.topUp) expect(after.periodic).toBe('0');
          const debited = new Decimal(before.available).minus(after.available);
          if (outcome.kind === 'charged' && !outcome.replayed) expect(debited.eq(s.credits)).toBe(true);
          else expect(debited.isZero()).toBe(true);
          if (outcome.kind === 'insufficient') expect(new Decimal(s.credits).gt(before.available)).toBe(true);
        }

        const txs = ledger.transactions(accountId);
        const sum = txs.reduce((acc, t) => acc.plus(String(t.amount?.credits ?? 0)), new Decimal(0));
        const end = new Decimal(ledger.balance(accountId).available);
        expect(start.minus(end).eq(sum)).toBe(true);
        expect(new Set(txs.map((t) => t.id)).size).toBe(txs.length);
      }),
      { numRuns: 200 },
    );
  });

  test('with deduplication on, a key never yields more than one transaction', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const ledger = new Ledger();
        const accountId = randomUUID();
        ledger.addAccount({ apiKey: randomUUID(), accountId, siteId: randomUUID(), periodic: 10_000, topUp: 0 });
        const keys = Array.from({ length: 31 }, () => randomUUID());
        for (const s of steps) {
          const req = parseChargeRequest({
            amount: { credits: s.credits },
            description: s.description,
            idempotencyKey: keys[s.keyIndex],
          });
          ledger.charge(accountId, req, true);
        }
        const txs = ledger.transactions(accountId);
        expect(new Set(txs.map((t) => t.idempotencyKey)).size).toBe(txs.length);
      }),
      { numRuns: 200 },
    );
  });
});
