/**
 * Validation of `chargeCredits` input before any upstream call. Each rule names the field it
 * guards (as `input.<path>`), so a client learns exactly what to fix.
 */
import { z } from 'zod';
import type { ChargeRequest } from '../../domain/credits';
import { GUID_FORMAT_HINT, parseGuid, type Guid } from '../../domain/guid';
import { badUserInput } from '../errors';

export const MAX_DESCRIPTION_LENGTH = 100;
export const MAX_METADATA_BYTES = 8 * 1024;
export const MAX_METADATA_DEPTH = 5;
/**
 * Credits the upstream keeps: 6 decimal places (CREDITS_DECIMALS in the sandbox, the contract's
 * precision). Finer amounts would be rounded away upstream: a charge that moves nothing.
 */
export const CREDITS_DECIMALS = 6;

/** Decimal places of a number as written in its shortest form ("1e-7" counts 7). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(n).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** Upper bound for one charge: keeps credits an exactly representable, sane number. */
export const MAX_CREDITS = 1_000_000_000;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Depth of nested objects/arrays: `{}` is 1, `{ a: { b: 1 } }` is 2. Walks without recursion,
 * so a value nested thousands deep (JSON.parse builds those happily) cannot overflow the stack.
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A GUID in any letter case, handed on in its canonical spelling. */
const guid = z.string().transform((value, ctx): Guid => {
  const parsed = parseGuid(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: GUID_FORMAT_HINT });
    return z.NEVER;
  }
  return parsed;
});

const chargeInputSchema = z.object({
  credits: z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((n) => n > 0, 'must be greater than 0')
    .refine((n) => n <= MAX_CREDITS, `must be at most ${MAX_CREDITS}`)
    .refine(
      (n) => decimalPlaces(n) <= CREDITS_DECIMALS,
      `must have at most ${CREDITS_DECIMALS} decimal places (the precision the credits service keeps)`,
    ),
  cost: z
    .object({
      amount: z.string().refine((a) => !a.startsWith('-'), 'must not be negative'),
      currencyCode: z.string().refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as USD'),
    })
    .nullish(),
  description: z.string().max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`).nullish(),
  externalRefId: guid.nullish(),
  metadata: z
    .record(z.string(), z.unknown())
    // Depth first, and stop there: serializing a value nested thousands deep would overflow the stack.
    .refine((m) => jsonDepth(m) <= MAX_METADATA_DEPTH, {
      message: `must be nested at most ${MAX_METADATA_DEPTH} levels deep`,
      abort: true,
    })
    .refine(
      (m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES,
      `must be at most ${MAX_METADATA_BYTES} bytes serialized`,
    )
    .nullish(),
  idempotencyKey: guid,
});

export interface ChargeCreditsInputShape {
  credits: number;
  cost?: { amount: string; currencyCode: string } | null;
  description?: string | null;
  externalRefId?: string | null;
  metadata?: Record<string, unknown> | null;
  idempotencyKey: string;
}

/** Validates and normalizes: absent and null optional fields become absent. */
export function validateChargeInput(input: ChargeCreditsInputShape): ChargeRequest {
  const parsed = chargeInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['input', ...issue.path.map(String)].join('.');
    throw badUserInput(field, `${field} ${issue.message}`);
  }
  const v = parsed.data;
  const request: ChargeRequest = { credits: v.credits, idempotencyKey: v.idempotencyKey };
  if (v.cost) request.cost = { amount: v.cost.amount, currencyCode: v.cost.currencyCode };
  if (v.description != null) request.description = v.description;
  if (v.externalRefId != null) request.externalRefId = v.externalRefId;
  if (v.metadata != null) request.metadata = v.metadata;
  return request;
}
