/**
 * A fingerprint of a normalized charge request: the same intent always hashes the same,
 * whatever the key order of its metadata, so "same key, different input" is detectable.
 */
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import type { CreditTransaction } from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';

/** JSON with object keys sorted at every level; values with `toJSON` (Dates) as JSON writes them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Empty values count as absent: Wix answers in proto3 JSON, which omits empty strings and empty
 * Structs, so a charge sent with `description: ""` comes back without a description.
 */
function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

function struct(value: Record<string, unknown> | null | undefined): string {
  return value && Object.keys(value).length > 0 ? canonicalJson(value) : 'null';
}

export function chargeFingerprint(request: ChargeRequest): string {
  const normalized = {
    credits: new Decimal(request.credits).toString(),
    cost: request.cost
      ? { amount: new Decimal(request.cost.amount).toString(), currencyCode: request.cost.currencyCode }
      : null,
    description: text(request.description),
    externalRefId: request.externalRefId ?? null,
    metadata: struct(request.metadata),
    idempotencyKey: request.idempotencyKey,
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('base64url');
}

/**
 * How a transaction recorded under a request's key relates to that request:
 *  - `exact`: every field the request set is recorded as sent;
 *  - `loose`: nothing contradicts it, but it cannot be told apart from another input — the
 *    request left the cost to the upstream (which then records one), or the upstream's amount
 *    could not be decoded;
 *  - `mismatch`: it records a different input.
 */
export type TransactionMatch = 'exact' | 'loose' | 'mismatch';

function sameDecimal(a: string | number, b: string | number): boolean {
  try {
    return new Decimal(a).equals(b);
  } catch {
    return false;
  }
}

export function matchTransaction(tx: CreditTransaction, request: ChargeRequest): TransactionMatch {
  // GUIDs on both sides are canonical (guid.ts): they compare as they are.
  if (tx.idempotencyKey !== null && tx.idempotencyKey !== request.idempotencyKey) return 'mismatch';
  if (text(tx.description) !== text(request.description)) return 'mismatch';
  if (tx.externalRefId !== (request.externalRefId ?? null)) return 'mismatch';
  if (struct(tx.metadata) !== struct(request.metadata)) return 'mismatch';
  if (!tx.amount) return 'loose';
  if (!sameDecimal(tx.amount.credits, request.credits)) return 'mismatch';
  const cost = tx.amount.cost;
  if (request.cost) {
    if (!cost) return 'loose';
    return cost.currencyCode === request.cost.currencyCode && sameDecimal(cost.amount, request.cost.amount)
      ? 'exact'
      : 'mismatch';
  }
  return cost ? 'loose' : 'exact';
}
