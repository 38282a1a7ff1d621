/**
 * Validation and normalization of a Charge body. The normalized form is what idempotency
 * compares ("same body"), so numeric fields are kept as Decimal and compared by value.
 */
import type Decimal from 'decimal.js';
import { Dec } from './decimal';
import type { WireFieldViolation } from './wire';
import { validationError, violation } from './errors';

export const DESCRIPTION_MAX_LENGTH = 100;
/** Credits are kept to 6 decimal places; a finer amount is refused, never rounded to nothing. */
export const CREDITS_DECIMALS = 6;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

export interface NormalizedCharge {
  credits: Decimal;
  cost?: { amount: string; currencyCode: string };
  description?: string;
  externalRefId?: string;
  metadata?: Record<string, unknown>;
  idempotencyKey: string;
}

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses credits sent as a JSON number or a numeric string (tolerant, like Wix numbers). */
function parseCredits(raw: unknown, out: WireFieldViolation[]): Decimal | undefined {
  const field = 'amount.credits';
  if (raw === undefined || raw === null) {
    out.push(violation(field, 'credits is required', 'REQUIRED_FIELD'));
    return undefined;
  }
  let value: Decimal;
  try {
    if (typeof raw !== 'number' && typeof raw !== 'string') throw new Error('not numeric');
    value = new Dec(typeof raw === 'string' ? raw.trim() : raw);
  } catch {
    out.push(violation(field, 'credits must be a finite number', 'FORMAT'));
    return undefined;
  }
  if (!value.isFinite()) {
    out.push(violation(field, 'credits must be a finite number', 'FORMAT'));
    return undefined;
  }
  if (value.lte(0)) {
    out.push(violation(field, 'credits must be greater than 0', 'DECIMAL_GT'));
    return undefined;
  }
  if (value.decimalPlaces() > CREDITS_DECIMALS) {
    out.push(violation(field, `credits must have at most ${CREDITS_DECIMALS} decimal places`, 'DECIMAL_PLACES'));
    return undefined;
  }
  return value;
}

function parseCost(raw: unknown, out: WireFieldViolation[]): NormalizedCharge['cost'] {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    out.push(violation('amount.cost', 'cost must be an object', 'FORMAT'));
    return undefined;
  }
  const { amount, currencyCode } = raw;
  let ok = true;
  if (typeof amount !== 'string' || !DECIMAL.test(amount)) {
    out.push(violation('amount.cost.amount', 'amount must be a decimal string such as "3456.99"', 'FORMAT'));
    ok = false;
  } else if (new Dec(amount).lt(0)) {
    out.push(violation('amount.cost.amount', 'amount must not be negative', 'DECIMAL_GTE'));
    ok = false;
  }
  if (typeof currencyCode !== 'string' || !CURRENCY.test(currencyCode)) {
    out.push(violation('amount.cost.currencyCode', 'currencyCode must be an ISO 4217 code', 'FORMAT'));
    ok = false;
  }
  return ok ? { amount: amount as string, currencyCode: currencyCode as string } : undefined;
}

/** Throws a 400 validation error listing every violation, or returns the normalized charge. */
export function parseChargeRequest(body: unknown): NormalizedCharge {
  const out: WireFieldViolation[] = [];
  const req = isPlainObject(body) ? body : {};
  const amount = isPlainObject(req.amount) ? req.amount : {};
  const credits = parseCredits(amount.credits, out);
  const cost = parseCost(amount.cost, out);

  const { description, externalRefId, metadata, idempotencyKey } = req;
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string') out.push(violation('description', 'description must be a string', 'FORMAT'));
    else if (description.length > DESCRIPTION_MAX_LENGTH)
      out.push(
        violation('description', `description must be at most ${DESCRIPTION_MAX_LENGTH} characters`, 'MAX_LENGTH'),
      );
  }
  if (externalRefId !== undefined && externalRefId !== null && !isGuid(externalRefId))
    out.push(violation('externalRefId', 'externalRefId must be a GUID', 'FORMAT'));
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata))
    out.push(violation('metadata', 'metadata must be a JSON object', 'FORMAT'));
  if (idempotencyKey === undefined || idempotencyKey === null || idempotencyKey === '')
    out.push(violation('idempotencyKey', 'idempotencyKey is required', 'REQUIRED_FIELD'));
  else if (!isGuid(idempotencyKey)) out.push(violation('idempotencyKey', 'idempotencyKey must be a GUID', 'FORMAT'));

  if (out.length > 0 || credits === undefined) throw validationError(out);
  return {
    credits,
    ...(cost ? { cost } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    ...(typeof externalRefId === 'string' ? { externalRefId } : {}),
    ...(isPlainObject(metadata) ? { metadata } : {}),
    idempotencyKey: idempotencyKey as string,
  };
}

/** Structural equality of JSON values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** "Same body" for idempotency: credits and cost amount compared by numeric value. */
export function sameCharge(a: NormalizedCharge, b: NormalizedCharge): boolean {
  if (!a.credits.eq(b.credits)) return false;
  if (a.idempotencyKey.toLowerCase() !== b.idempotencyKey.toLowerCase()) return false;
  if (a.description !== b.description || a.externalRefId !== b.externalRefId) return false;
  if ((a.cost === undefined) !== (b.cost === undefined)) return false;
  if (a.cost && b.cost) {
    if (a.cost.currencyCode !== b.cost.currencyCode) return false;
    if (!new Dec(a.cost.amount).eq(b.cost.amount)) return false;
  }
  return jsonEqual(a.metadata, b.metadata);
}
