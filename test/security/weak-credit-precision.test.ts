/**
 * Weak spot: credits finer than the upstream keeps (6 decimal places) were sent and came back as
 * a CreditsCharged that moved nothing. The gateway now refuses them as BAD_USER_INPUT naming
 * input.credits, with no upstream call; the sandbox upstream refuses them too (400).
 */
import { postJson, startHarness, accountHeaders, type Harness } from '../support/harness';

const CHARGE = 'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }';
const key = (n: number) => `4f8b9a61-3c2d-4e5f-8a7b-${String(n).padStart(12, '0')}`;

describe('credits below the upstream precision', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([0.0000001, 1.0000001, 2.1234567])(
    'gateway: %p credits is BAD_USER_INPUT on input.credits, no upstream call',
    async (credits) => {
      h.sandbox.counters.reset();
      const res = await h.graphql(CHARGE, { input: { credits, idempotencyKey: key(1) } });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.credits' });
      expect(res.body.errors?.[0]?.message).toMatch(/6 decimal places/);
      expect(h.sandbox.counters.total()).toBe(0);
    },
  );

  it('gateway: 6 decimal places are charged', async () => {
    const res = await h.graphql(CHARGE, { input: { credits: 0.000001, idempotencyKey: key(2) } });
    expect(res.body.data).toEqual({ chargeCredits: { __typename: 'CreditsCharged' } });
  });

  it('sandbox: a charge with 7 decimal places is a 400 naming amount.credits', async () => {
    const res = await postJson(
      `${h.sandbox.url}/appmarket/credittransactions/v1/credit-transactions/charge`,
      { amount: { credits: '0.0000001' }, idempotencyKey: key(3) },
      accountHeaders(h.sandbox.demo),
    );
    expect(res.status).toBe(400);
    expect(res.raw).toContain('amount.credits');
  });
});
