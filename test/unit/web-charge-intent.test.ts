/** examples/web's idempotency-key rule: one key per user intent, a new one only after a definite outcome. */
import type { ChargeCreditsMutation } from '../../generated/graphql';
import {
  judge,
  loadPendingIntent,
  newIntent,
  savePendingIntent,
  variablesOf,
  type AttemptOutcome,
} from '../../examples/web/src/charge-intent';

type Result = ChargeCreditsMutation['chargeCredits'];
const answered = (chargeCredits: Result): AttemptOutcome => ({ data: { chargeCredits } });
const failed = (code: string | null, networkError?: Error): AttemptOutcome => ({
  error: { networkError, graphQLErrors: code ? [{ extensions: { code } }] : [] },
});

const charged: Result = {
  __typename: 'CreditsCharged',
  transaction: { id: 't1', amount: { credits: 2.5, cost: null }, idempotencyKey: 'k', externalRefId: null },
  balance: { availableCredits: 10 },
};

describe('examples/web charge intent', () => {
  it('settles the intent (next click gets a new key) on every definite union member', () => {
    expect(judge(answered(charged)).settled).toBe(true);
    expect(
      judge(answered({ __typename: 'InsufficientCredits', requiredCredits: 5, availableCredits: 1, message: 'm' }))
        .settled,
    ).toBe(true);
    expect(judge(answered({ __typename: 'IdempotencyKeyReused', idempotencyKey: 'k', message: 'm' })).settled).toBe(
      true,
    );
    const overBudget: Result = {
      __typename: 'BudgetExceeded',
      budget: '5',
      used: '4',
      requested: '2',
      resetsAt: '2026-12-04T00:00:00.000Z',
      message: 'm',
    };
    expect(judge(answered(overBudget)).settled).toBe(true);
  });

  it('keeps the key for a retry after ChargeOutcomeUnknown, a network failure or an upstream error', () => {
    expect(judge(answered({ __typename: 'ChargeOutcomeUnknown', idempotencyKey: 'k', message: 'm' })).settled).toBe(
      false,
    );
    expect(judge(failed(null, new TypeError('Failed to fetch'))).settled).toBe(false);
    for (const code of [
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_TIMEOUT',
      'INTERNAL_SERVER_ERROR',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]) {
      expect(judge(failed(code)).settled).toBe(false);
    }
  });

  it('settles on BAD_USER_INPUT: nothing was charged, and corrected input is a new intent', () => {
    expect(judge(failed('BAD_USER_INPUT')).settled).toBe(true);
  });

  it("sends the intent's key and input unchanged on every attempt, and keeps it across a reload", () => {
    const intent = newIntent({ credits: 1.25, description: 'x' });
    expect(intent.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(newIntent({ credits: 1.25, description: 'x' }).idempotencyKey).not.toBe(intent.idempotencyKey);
    expect(variablesOf(intent)).toEqual({
      input: { credits: 1.25, description: 'x', idempotencyKey: intent.idempotencyKey },
    });

    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    savePendingIntent(storage, { ...intent, attempts: 1 });
    expect(loadPendingIntent(storage)).toEqual({ ...intent, attempts: 1 });
    savePendingIntent(storage, null);
    expect(loadPendingIntent(storage)).toBeNull();
  });
});
