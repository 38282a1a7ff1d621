/**
 * CHARGE_RATE_LIMIT ("30/min": charges per subject per sliding window) and
 * CHARGE_BUDGET_PER_DAY (credits per subject per UTC day, a decimal), from the environment.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface ChargeLimitsConfig {
  rate: RateLimit | null;
  /** Decimal string; null: no budget (a `credits_budget` claim still applies). */
  budgetPerDay: string | null;
}

const WINDOWS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
};
const RATE = /^(\d{1,6})\s*\/\s*(s|sec|second|min|minute|h|hour)$/;
export const DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;

export function parseRateLimit(text: string): RateLimit | null {
  const match = RATE.exec(text.trim());
  if (!match || Number(match[1]) < 1) return null;
  return { limit: Number(match[1]), windowMs: WINDOWS[match[2]!]! };
}

/**
 * decimal.js rounds to 20 significant digits by default; budgets sum up to 15 integer and 12
 * fraction digits (and JS numbers carry up to ~17), so limits compute with room to spare.
 */
export const ExactDecimal = Decimal.clone({ precision: 64 });

/** A decimal string in canonical form ("12.50" → "12.5"), for exact arithmetic anywhere. */
export function canonicalDecimal(value: string | number): string {
  return new ExactDecimal(value).toFixed();
}

export const limitEnvironment = {
  CHARGE_RATE_LIMIT: z
    .string()
    .refine((text) => parseRateLimit(text) !== null, 'must be N/s, N/min or N/hour, such as 30/min')
    .optional(),
  CHARGE_BUDGET_PER_DAY: z
    .string()
    .regex(DECIMAL, 'must be a non-negative decimal number of credits, such as 500 or 12.5')
    .optional(),
};

export function chargeLimitsFrom(env: {
  CHARGE_RATE_LIMIT?: string;
  CHARGE_BUDGET_PER_DAY?: string;
}): ChargeLimitsConfig {
  return {
    rate: env.CHARGE_RATE_LIMIT ? parseRateLimit(env.CHARGE_RATE_LIMIT) : null,
    budgetPerDay: env.CHARGE_BUDGET_PER_DAY ? canonicalDecimal(env.CHARGE_BUDGET_PER_DAY) : null,
  };
}
