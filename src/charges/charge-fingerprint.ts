/**
 * A fingerprint of a normalized charge request: the same intent always hashes the same,
 * whatever the key order of its metadata, so "same key, different input" is detectable.
 */
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import type { ChargeRequest, CreditTransaction } from '../domain/credits';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function chargeFingerprint(request: ChargeRequest): string {
  const normalized = {
    credits: new Decimal(request.credits).toString(),
    cost: request.cost ? { amount: new Decimal(request.cost.amount).toString(), currencyCode: request.cost.currencyCode } : null,
    description: request.description ?? null,
    externalRefId: request.externalRefId?.toLowerCase() ?? null,
    metadata: request.metadata ?? null,
    idempotencyKey: request.idempotencyKey.toLowerCase(),
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('base64url');
}

/** Does a transaction found upstream under this key record this very request? */
export function transactionMatchesRequest(tx: CreditTransaction, request: ChargeRequest): boolean {
  if (!tx.amount || !new Decimal(tx.amount.credits).equals(request.credits)) return false;
  if (request.cost) {
    const cost = tx.amount.cost;
    if (!cost || cost.currencyCode !== request.cost.currencyCode || !new Decimal(cost.amount).equals(request.cost.amount)) return false;
  }
  if ((tx.description ?? null) !== (request.description ?? null)) return false;
  if ((tx.externalRefId?.toLowerCase() ?? null) !== (request.externalRefId?.toLowerCase() ?? null)) return false;
  return canonicalJson(tx.metadata ?? null) === canonicalJson(request.metadata ?? null);
}
