/**
 * The charge request, defined once. This zod schema says what a valid request is, and its output
 * type, `ChargeRequest`, is what every layer takes: the GraphQL mutation validates into it, the
 * charge service fingerprints and single-flights it, the limits budget it, and src/wix writes
 * the upstream's JSON body from it. The rules' limits and the field descriptions live here too,
 * so the GraphQL input documents exactly what this schema checks.
 */
import { z } from 'zod';
import { GUID_FORMAT_HINT, parseGuid, type Guid } from './guid';

export const MAX_DESCRIPTION_LENGTH = 100;
export const MAX_METADATA_BYTES = 8 * 1024;
export const MAX_METADATA_DEPTH = 5;
/**
 * Credits the upstream keeps: 6 decimal places (CREDITS_DECIMALS in the sandbox, the contract's
 * precision). Finer amounts would be rounded away upstream: a charge that moves nothing.
 */
export const CREDITS_DECIMALS = 6;
/** Upper bound for one charge: keeps credits an exactly representable, sane number. */
export const MAX_CREDITS = 1_000_000_000;

/** Decimal places of a number as written in its shortest form ("1e-7" counts 7). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(n).split(/e/i);
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

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

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** A GUID in any letter case, handed on in its canonical spelling (guid.ts). */
const guid = z.string().transform((value, ctx): Guid => {
  const parsed = parseGuid(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: GUID_FORMAT_HINT });
    return z.NEVER;
  }
  return parsed;
});

/** What the credits cost, when the caller prices them. */
export const moneySchema = z.object({
  amount: z.string().refine((a) => !a.startsWith('-'), 'must not be negative'),
  currencyCode: z
    .string()
    .refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as USD')
    .describe('ISO 4217 currency code, e.g. USD.'),
});

/** The fields as a caller sends them: optional ones may be absent or null. */
export const chargeRequestFields = z.object({
  credits: z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((n) => n > 0, 'must be greater than 0')
    .refine((n) => n <= MAX_CREDITS, `must be at most ${MAX_CREDITS}`)
    .refine(
      (n) => decimalPlaces(n) <= CREDITS_DECIMALS,
      `must have at most ${CREDITS_DECIMALS} decimal places (the precision the credits service keeps)`,
    )
    .describe('Credits to charge; > 0.'),
  cost: moneySchema.nullish().describe('What the credits cost; priced upstream when absent.'),
  description: z
    .string()
    .max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`)
    .nullish()
    .describe(`At most ${MAX_DESCRIPTION_LENGTH} characters.`),
  externalRefId: guid.nullish().describe("GUID of the caller's own operation."),
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
    .nullish()
    .describe(`At most ${MAX_METADATA_BYTES / 1024} KiB serialized, depth ≤ ${MAX_METADATA_DEPTH}.`),
  idempotencyKey: guid.describe('GUID made once per user intent by the client; retry with the same key.'),
});

/** Validates and normalizes: absent and null optional fields become absent, GUIDs canonical. */
export const chargeRequestSchema = chargeRequestFields.transform(
  ({ credits, cost, description, externalRefId, metadata, idempotencyKey }) => ({
    credits,
    idempotencyKey,
    ...(cost != null ? { cost: { amount: cost.amount, currencyCode: cost.currencyCode } } : {}),
    ...(description != null ? { description } : {}),
    ...(externalRefId != null ? { externalRefId } : {}),
    ...(metadata != null ? { metadata } : {}),
  }),
);

/** A valid, normalized charge request: what every layer takes. */
export type ChargeRequest = z.output<typeof chargeRequestSchema>;

/** A charge request as a caller sends it, before validation (what the GraphQL input class holds). */
export type ChargeRequestInput = z.input<typeof chargeRequestSchema>;

/** The description of a field, as the schema states it (the GraphQL input repeats it). */
export function chargeFieldDescription(field: keyof typeof chargeRequestFields.shape): string {
  return chargeRequestFields.shape[field].description ?? '';
}
