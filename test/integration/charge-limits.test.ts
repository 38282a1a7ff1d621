/**
 * Per-caller charge limits through the gateway: a daily budget holds exactly under concurrency
 * (no upstream call for refused charges), the rate limit answers RATE_LIMITED with
 * retryAfterSeconds, and each charge outcome leaves one audit line without secrets.
 */
import { randomUUID } from 'node:crypto';
import { startRig, type ReliabilityRig } from '../reliability/helpers';
import { BURST_CHARGE, chargeBurst } from '../support/charge-burst';

describe('daily charge budget (in memory)', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    rig = await startRig({ config: { chargeLimits: { rate: null, budgetPerDay: '50' } } });
  });
  afterAll(() => rig.close());

  it('200 concurrent charges of one caller against a budget that fits 50: exactly 50 debits and 150 BudgetExceeded', async () => {
    rig.sandbox.counters.reset();
    const counts = await chargeBurst([rig.url], 200);
    expect(counts).toEqual({ CreditsCharged: 50, BudgetExceeded: 150 });
    expect(rig.sandbox.counters.get('charge')).toBe(50);
  });

  it('BudgetExceeded names budget, used, requested (decimal strings) and the next UTC midnight', async () => {
    const res = await rig.graphql<{ chargeCredits: Record<string, string> }, unknown>(BURST_CHARGE, {
      input: { credits: 0.5, idempotencyKey: randomUUID() },
    });
    const answer = res.body.data!.chargeCredits;
    expect(answer).toMatchObject({ __typename: 'BudgetExceeded', budget: '50', used: '50', requested: '0.5' });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(new Date(answer.resetsAt!).getTime()).toBe(midnight.getTime());
    expect(answer.message).toContain('budget');
  });
});

describe('charge rate limit', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    rig = await startRig({ config: { chargeLimits: { rate: { limit: 3, windowMs: 60_000 }, budgetPerDay: null } } });
  });
  afterAll(() => rig.close());

  it('answers RATE_LIMITED with retryAfterSeconds over the limit, without an upstream call, and never counts a replay', async () => {
    const key = randomUUID();
    const input = { credits: 1, idempotencyKey: key };
    for (let i = 0; i < 3; i++) {
      const replay = await rig.graphql<{ chargeCredits: { __typename: string } }, unknown>(BURST_CHARGE, { input });
      expect(replay.body.data?.chargeCredits.__typename).toBe('CreditsCharged');
    }
    expect(await chargeBurst([rig.url], 2)).toEqual({ CreditsCharged: 2 });
    rig.sandbox.counters.reset();
    const over = await rig.graphql(BURST_CHARGE, { input: { credits: 1, idempotencyKey: randomUUID() } });
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(over.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(over.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(rig.sandbox.counters.total()).toBe(0);
  });
});
