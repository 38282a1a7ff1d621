/**
 * One idempotency key per user intent. The key is made when the user asks for a charge and
 * reused, with the very same input, on every retry of that intent: after a lost answer, a
 * network failure, an upstream error or `ChargeOutcomeUnknown`, the gateway either finds the
 * charge already made or makes it once. A new key is made only after a definite outcome (a
 * union member that settles the charge, or an input the gateway refused without charging). The
 * pending intent survives a page reload (sessionStorage), so a reload cannot charge twice either.
 */
import type { ChargeCreditsMutation, ChargeCreditsMutationVariables } from '../../../generated/graphql';

/** The parts of urql's OperationResult / CombinedError read here (kept structural: unit-tested without urql). */
export interface AttemptError {
  networkError?: unknown;
  graphQLErrors: ReadonlyArray<{ extensions?: { readonly [key: string]: unknown } }>;
}
export interface AttemptOutcome<E extends AttemptError = AttemptError> {
  data?: ChargeCreditsMutation | null;
  error?: E;
}

/** The part of the Web Storage API used here (sessionStorage in the page). */
export interface IntentStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ChargeInput {
  credits: number;
  description: string;
}

export interface ChargeIntent extends ChargeInput {
  idempotencyKey: string;
  attempts: number;
}

export type ChargeResult = ChargeCreditsMutation['chargeCredits'];

/** What one attempt taught: the intent is settled (forget its key) or still open (retry with it). */
export interface AttemptVerdict<E extends AttemptError = AttemptError> {
  settled: boolean;
  result: ChargeResult | null;
  error: E | null;
}

const STORAGE_KEY = 'credits-gateway-example.pending-charge';

export function newIntent(input: ChargeInput): ChargeIntent {
  return { ...input, idempotencyKey: crypto.randomUUID(), attempts: 0 };
}

export function variablesOf(intent: ChargeIntent): ChargeCreditsMutationVariables {
  return { input: { credits: intent.credits, description: intent.description, idempotencyKey: intent.idempotencyKey } };
}

/** Settled only by an answer that says what happened to the charge; anything else is retried with the same key. */
export function judge<E extends AttemptError>(outcome: AttemptOutcome<E>): AttemptVerdict<E> {
  const result = outcome.data?.chargeCredits ?? null;
  const error = outcome.error ?? null;
  if (result) return { settled: result.__typename !== 'ChargeOutcomeUnknown', result, error };
  // Refused input: nothing was charged, and this input will never be charged under this key.
  const refusedInput = error?.graphQLErrors.some((e) => e.extensions?.code === 'BAD_USER_INPUT') ?? false;
  return { settled: refusedInput && !error?.networkError, result: null, error };
}

export function loadPendingIntent(storage: IntentStore): ChargeIntent | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<ChargeIntent>;
    if (
      typeof value.idempotencyKey !== 'string' ||
      typeof value.credits !== 'number' ||
      typeof value.description !== 'string'
    )
      return null;
    return {
      idempotencyKey: value.idempotencyKey,
      credits: value.credits,
      description: value.description,
      attempts: value.attempts ?? 0,
    };
  } catch {
    return null;
  }
}

export function savePendingIntent(storage: IntentStore, intent: ChargeIntent | null): void {
  if (intent) storage.setItem(STORAGE_KEY, JSON.stringify(intent));
  else storage.removeItem(STORAGE_KEY);
}
