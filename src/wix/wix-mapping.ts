/**
 * The one place where Wix JSON and the domain model meet, in both directions.
 * Decoding is tolerant as the contract asks: numbers may be numeric strings, optional objects
 * may be missing, unknown fields are ignored, and int64 `revision` stays a string.
 */
import Decimal from 'decimal.js';
import type {
  CreditAmount,
  CreditBalance,
  CreditSource,
  CreditTransaction,
  Money,
  TransactionFilter,
  TransactionPage,
  TransactionQuery,
  UsageRule,
} from '../domain/credits';
import type { ChargeRequest } from '../domain/charge-request';
import { parseGuid, type Guid } from '../domain/guid';
import type { WixChargeRequest, WixFilter, WixQueryRequest, WixSort } from './wix-json';

/** Raised when an upstream body cannot be decoded into the contract. */
export class WixDecodeError extends Error {
  constructor(what: string) {
    super(`Upstream response could not be decoded: ${what}`);
    this.name = 'WixDecodeError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * A GUID field of an answer, in its canonical spelling. Absent (or empty: proto3 JSON omits empty
 * strings) is null; anything else that is not a GUID breaks the contract and fails the decode,
 * rather than pass on an id that no lookup, cache key or key comparison could match.
 */
function guid(value: unknown, field: string): Guid | null {
  if (value === undefined || value === null || value === '') return null;
  const parsed = typeof value === 'string' ? parseGuid(value) : null;
  if (parsed === null) throw new WixDecodeError(`${field} of a credit transaction is not a GUID`);
  return parsed;
}

/** A JSON number or a numeric string; anything else is absent. */
export function decodeNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function decodeDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Wix's decimal format: "." separator, e.g. "3456.99" or "-789". */
const WIX_DECIMAL = /^-?\d+(\.\d+)?$/;

function decodeMoney(value: unknown): Money | null {
  if (!isObject(value)) return null;
  const amount = str(value.amount);
  const currencyCode = str(value.currencyCode);
  // A malformed amount is dropped rather than passed on as a "Decimal" it is not.
  if (amount === null || currencyCode === null || !WIX_DECIMAL.test(amount)) return null;
  return { amount, currencyCode, formattedValue: str(value.formattedValue) };
}

export function decodeTransaction(value: unknown): CreditTransaction {
  if (!isObject(value) || typeof value.id !== 'string') throw new WixDecodeError('credit transaction without id');
  const id = guid(value.id, 'id');
  if (id === null) throw new WixDecodeError('credit transaction without id');
  const amount = isObject(value.amount) ? value.amount : null;
  const credits = amount ? decodeNumber(amount.credits) : null;
  return {
    id,
    revision: str(value.revision),
    createdDate: decodeDate(value.createdDate),
    updatedDate: decodeDate(value.updatedDate),
    amount: amount && credits !== null ? { credits, cost: decodeMoney(amount.cost) } : null,
    description: str(value.description),
    callerAppId: guid(value.callerAppId, 'callerAppId'),
    externalRefId: guid(value.externalRefId, 'externalRefId'),
    metadata: isObject(value.metadata) ? value.metadata : null,
    idempotencyKey: guid(value.idempotencyKey, 'idempotencyKey'),
  };
}

function decodeCreditAmount(value: unknown): CreditAmount {
  if (!isObject(value)) return { balance: 0, cap: null };
  return { balance: decodeNumber(value.balance) ?? 0, cap: decodeNumber(value.cap) };
}

function decodeUsageRule(value: unknown): UsageRule {
  const rule = isObject(value) ? value : {};
  return {
    period: str(rule.period),
    balance: decodeNumber(rule.balance),
    cap: decodeNumber(rule.cap),
    resetDate: decodeDate(rule.resetDate),
  };
}

function decodeCreditSource(value: unknown): CreditSource {
  const source = isObject(value) ? value : {};
  const rules = Array.isArray(source.usageRules) ? source.usageRules : [];
  return { subscriptionId: str(source.subscriptionId), usageRules: rules.map(decodeUsageRule) };
}

/** Digits after the point in a number's shortest decimal form; null in exponent form. */
function decimalPlaces(n: number): number | null {
  const text = String(n);
  if (text.includes('e')) return null;
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** Past this, a double's rounding error can reach the last decimal place kept by toFixed. */
const EXACT_SCALED_LIMIT = 1e15;

/**
 * a + b as exact decimals (0.1 + 0.2 = 0.3), rounded once to a double: what Decimal's
 * `plus().toNumber()` gives, without a Decimal per balance. The binary sum is within 1.5 ulp of
 * the decimal one; while both scaled to their decimal places stay under 1e15, that error is
 * below half a unit of the last place, so rounding to it recovers the exact sum. Otherwise,
 * Decimal.
 */
export function exactSum(a: number, b: number): number {
  const places = Math.max(decimalPlaces(a) ?? Number.NaN, decimalPlaces(b) ?? Number.NaN);
  if (places === 0 && Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(a + b)) return a + b;
  const scale = 10 ** places;
  if (places <= 15 && Math.abs(a) * scale < EXACT_SCALED_LIMIT && Math.abs(b) * scale < EXACT_SCALED_LIMIT) {
    return Number((a + b).toFixed(places));
  }
  return new Decimal(a).plus(b).toNumber();
}

export function decodeBalance(value: unknown): CreditBalance {
  if (!isObject(value)) throw new WixDecodeError('balance is not an object');
  const periodicCredits = decodeCreditAmount(value.periodicCredits);
  const topUpCredits = decodeCreditAmount(value.topUpCredits);
  const breakdown = Array.isArray(value.creditBalanceBreakdown) ? value.creditBalanceBreakdown : [];
  return {
    periodicCredits,
    topUpCredits,
    availableCredits: exactSum(periodicCredits.balance, topUpCredits.balance),
    breakdown: breakdown.map(decodeCreditSource),
  };
}

export function decodeTransactionResponse(value: unknown): CreditTransaction {
  if (!isObject(value)) throw new WixDecodeError('transaction response is not an object');
  return decodeTransaction(value.creditTransaction);
}

export function decodeQueryResponse(value: unknown): TransactionPage {
  if (!isObject(value)) throw new WixDecodeError('query response is not an object');
  const list = Array.isArray(value.creditTransactions) ? value.creditTransactions : [];
  const paging = isObject(value.pagingMetadata) ? value.pagingMetadata : {};
  const cursors = isObject(paging.cursors) ? paging.cursors : {};
  const nextCursor = typeof cursors.next === 'string' && cursors.next !== '' ? cursors.next : null;
  return {
    items: list.map(decodeTransaction),
    nextCursor,
    hasNext: typeof paging.hasNext === 'boolean' ? paging.hasNext && nextCursor !== null : nextCursor !== null,
  };
}

/**
 * The charge body. Keys are written in one fixed order and optional fields only when present,
 * so the same request always serializes to the same bytes (retries resend identical bodies).
 */
export function encodeChargeRequest(request: ChargeRequest): WixChargeRequest {
  const body: WixChargeRequest = {
    amount: request.cost
      ? { credits: request.credits, cost: { amount: request.cost.amount, currencyCode: request.cost.currencyCode } }
      : { credits: request.credits },
    idempotencyKey: request.idempotencyKey,
  };
  if (request.description !== undefined) body.description = request.description;
  if (request.externalRefId !== undefined) body.externalRefId = request.externalRefId;
  if (request.metadata !== undefined) body.metadata = request.metadata;
  return body;
}

export function encodeFilter(filter: TransactionFilter | undefined): WixFilter | undefined {
  if (!filter) return undefined;
  const wix: WixFilter = {};
  if (filter.ids) wix.id = { $in: filter.ids };
  if (filter.externalRefIds) wix.externalRefId = { $in: filter.externalRefIds };
  if (filter.callerAppId !== undefined) wix.callerAppId = { $eq: filter.callerAppId };
  if (filter.idempotencyKey !== undefined) wix.idempotencyKey = { $eq: filter.idempotencyKey };
  if (filter.createdAfter || filter.createdBefore) {
    const range: { $gt?: string; $lt?: string } = {};
    if (filter.createdAfter) range.$gt = filter.createdAfter.toISOString();
    if (filter.createdBefore) range.$lt = filter.createdBefore.toISOString();
    wix.createdDate = range;
  }
  return Object.keys(wix).length > 0 ? wix : undefined;
}

/** Wix sends later pages with the cursor alone; filter and sort travel inside it. */
export function encodeQueryRequest(query: TransactionQuery): WixQueryRequest {
  if (query.cursor) {
    return { query: { cursorPaging: { limit: query.limit, cursor: query.cursor } } };
  }
  const sort: WixSort[] = [{ fieldName: 'createdDate', order: query.order ?? 'DESC' }];
  const filter = encodeFilter(query.filter);
  return { query: { ...(filter ? { filter } : {}), sort, cursorPaging: { limit: query.limit } } };
}
