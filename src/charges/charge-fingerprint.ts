/**
 * A fingerprint of a normalized charge request: the same intent always hashes the same,
 * whatever the key order of its metadata, so "same key, different input" is detectable.
 */
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import type { ChargeRequest, CreditTransaction } from '../domain/credits';

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
    cost: request.cost ? { amount: new Decimal(request.cost.amount).toString(), currencyCode: request.cost.currencyCode } : null,
    description: text(request.description),
    externalRefId: text(request.externalRefId)?.toLowerCase() ?? null,
    metadata: struct(request.metadata),
    idempotencyKey: request.idempotencyKey.toLowerCase(),
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('base64url');
}

/**
 * Does a transaction found upstream under this request's key record this very request?
 * Fields the upstream did not send (an undecodable amount) cannot contradict it.
 */
export function transactionMatchesRequest(tx: CreditTransaction, request: ChargeRequest): boolean {
  if (tx.amount) {
    if (!new Decimal(tx.amount.credits).equals(request.credits)) return false;
    const cost = tx.amount.cost;
    if (request.cost && cost && (cost.currencyCode !== request.cost.currencyCode || !new Decimal(cost.amount).equals(request.cost.amount))) {
      return false;
    }
  }
  if (text(tx.description) !== text(request.description)) return false;
  if ((text(tx.externalRefId)?.toLowerCase() ?? null) !== (text(request.externalRefId)?.toLowerCase() ?? null)) return false;
  return struct(tx.metadata) === struct(request.metadata);
}
