/**
 * Accounts, balances and transactions, with exact decimal arithmetic. Independent of HTTP so it
 * can be property-tested directly; the server maps its outcomes to Wix responses.
 */
import { randomUUID } from 'node:crypto';
import type Decimal from 'decimal.js';
import type { WireTransaction } from './wire';
import { type NormalizedCharge, sameCharge } from './charge-request';
import { Dec } from './decimal';
import { money } from './money';
import type { BalanceSnapshot } from './types';

/** callerAppId stamped on charges made through the sandbox (API-key calls have no app of their own). */
export const SANDBOX_CALLER_APP_ID = '5a4d6c1e-0b7f-4c3a-9e2d-1f0a8b7c6d5e';

export interface LedgerEntry {
  readonly id: string;
  readonly createdMs: number;
  readonly credits: Decimal;
  /** The JSON form served to clients; built once and never mutated. */
  readonly tx: WireTransaction;
  /** What the charge asked for: idempotency compares against it. */
  readonly request: NormalizedCharge;
}

export interface LedgerAccountSpec {
  apiKey: string;
  accountId: string;
  siteId: string;
  subscriptionId?: string;
  periodic: string | number;
  periodicCap?: string | number;
  topUp: string | number;
}

export interface LedgerAccount {
  readonly apiKey: string;
  readonly accountId: string;
  readonly siteId: string;
  readonly subscriptionId: string;
  periodic: Decimal;
  periodicCap: Decimal;
  topUp: Decimal;
  /** Sorted ascending by (createdMs, id): the order keyset paging walks. */
  readonly entries: LedgerEntry[];
  readonly byId: Map<string, LedgerEntry>;
  /** Lower-cased idempotency key → first transaction made with it. */
  readonly byKey: Map<string, LedgerEntry>;
}

export type ChargeOutcome =
  | { kind: 'charged'; entry: LedgerEntry; replayed: boolean }
  | { kind: 'insufficient'; available: Decimal; required: Decimal }
  | { kind: 'keyReused'; original: LedgerEntry };

export interface HistoricTransaction {
  id: string;
  createdMs: number;
  credits: string | number;
  callerAppId: string;
  idempotencyKey: string;
  externalRefId?: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface LedgerOptions {
  /** Price per credit when a charge carries no cost; default "0.05". */
  creditPrice?: string;
  currencyCode?: string;
  callerAppId?: string;
  now?: () => number;
  newId?: () => string;
}

export function compareEntries(a: { createdMs: number; id: string }, b: { createdMs: number; id: string }): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class Ledger {
  private readonly accounts = new Map<string, LedgerAccount>();
  private readonly byApiKey = new Map<string, LedgerAccount>();
  private readonly price: Decimal;
  private readonly currencyCode: string;
  private readonly callerAppId: string;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(options: LedgerOptions = {}) {
    this.price = new Dec(options.creditPrice ?? '0.05');
    this.currencyCode = options.currencyCode ?? 'USD';
    this.callerAppId = options.callerAppId ?? SANDBOX_CALLER_APP_ID;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  addAccount(spec: LedgerAccountSpec): LedgerAccount {
    if (this.accounts.has(spec.accountId)) throw new Error(`account ${spec.accountId} already exists`);
    if (this.byApiKey.has(spec.apiKey)) throw new Error('API key already in use');
    const periodic = new Dec(spec.periodic);
    const account: LedgerAccount = {
      apiKey: spec.apiKey,
      accountId: spec.accountId,
      siteId: spec.siteId,
      subscriptionId: spec.subscriptionId ?? this.newId(),
      periodic,
      periodicCap: new Dec(spec.periodicCap ?? Dec.max(periodic, 0)),
      topUp: new Dec(spec.topUp),
      entries: [],
      byId: new Map(),
      byKey: new Map(),
    };
    if (periodic.isNeg() || account.topUp.isNeg()) throw new Error('balances must not be negative');
    this.accounts.set(account.accountId, account);
    this.byApiKey.set(account.apiKey, account);
    return account;
  }

  accountByApiKey(apiKey: string): LedgerAccount | undefined {
    return this.byApiKey.get(apiKey);
  }

  account(accountId: string): LedgerAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`unknown sandbox account ${accountId}`);
    return account;
  }

  /** Records a past transaction without touching the balance (seeded history). */
  addHistoric(accountId: string, h: HistoricTransaction): LedgerEntry {
    const request: NormalizedCharge = {
      credits: new Dec(h.credits),
      idempotencyKey: h.idempotencyKey,
      ...(h.description !== undefined ? { description: h.description } : {}),
      ...(h.externalRefId !== undefined ? { externalRefId: h.externalRefId } : {}),
      ...(h.metadata !== undefined ? { metadata: h.metadata } : {}),
    };
    return this.record(this.account(accountId), h.id, h.createdMs, request, h.callerAppId);
  }

  charge(accountId: string, req: NormalizedCharge, deduplicate = true): ChargeOutcome {
    const account = this.account(accountId);
    if (deduplicate) {
      const original = account.byKey.get(req.idempotencyKey.toLowerCase());
      if (original) {
        return sameCharge(original.request, req)
          ? { kind: 'charged', entry: original, replayed: true }
          : { kind: 'keyReused', original };
      }
    }
    const available = account.periodic.plus(account.topUp);
    if (req.credits.gt(available)) return { kind: 'insufficient', available, required: req.credits };

    // Periodic (monthly) credits first, then the top-up balance.
    const fromPeriodic = Dec.min(account.periodic, req.credits);
    account.periodic = account.periodic.minus(fromPeriodic);
    account.topUp = account.topUp.minus(req.credits.minus(fromPeriodic));
    const entry = this.record(account, this.newId(), this.now(), req, this.callerAppId);
    return { kind: 'charged', entry, replayed: false };
  }

  /** undefined when unknown or owned by another account (callers answer 404 for both). */
  get(accountId: string, id: string): LedgerEntry | undefined {
    return this.accounts.get(accountId)?.byId.get(id);
  }

  balance(accountId: string): BalanceSnapshot {
    const a = this.account(accountId);
    return { periodic: a.periodic.toFixed(), topUp: a.topUp.toFixed(), available: a.periodic.plus(a.topUp).toFixed() };
  }

  /** All transactions, newest first (copies: callers may mutate them). */
  transactions(accountId: string): WireTransaction[] {
    const entries = this.account(accountId).entries;
    const out: WireTransaction[] = [];
    for (let i = entries.length - 1; i >= 0; i--) out.push(structuredClone(entries[i].tx));
    return out;
  }

  private record(
    account: LedgerAccount,
    id: string,
    createdMs: number,
    request: NormalizedCharge,
    callerAppId: string,
  ): LedgerEntry {
    const cost = request.cost ?? {
      amount: request.credits.times(this.price).toFixed(),
      currencyCode: this.currencyCode,
    };
    const createdDate = new Date(createdMs).toISOString();
    const tx: WireTransaction = {
      id,
      revision: '1',
      createdDate,
      updatedDate: createdDate,
      amount: { credits: request.credits.toNumber(), cost: money(cost.amount, cost.currencyCode) },
      ...(request.description !== undefined ? { description: request.description } : {}),
      callerAppId,
      ...(request.externalRefId !== undefined ? { externalRefId: request.externalRefId } : {}),
      ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
      idempotencyKey: request.idempotencyKey,
    };
    const entry: LedgerEntry = { id, createdMs, credits: request.credits, tx, request };
    insertSorted(account.entries, entry);
    account.byId.set(id, entry);
    const key = request.idempotencyKey.toLowerCase();
    // The first transaction made with a key is the one a replay returns.
    if (!account.byKey.has(key)) account.byKey.set(key, entry);
    return entry;
  }
}

/** New charges are almost always newest, so search from the end: O(1) in the common case. */
function insertSorted(entries: LedgerEntry[], entry: LedgerEntry): void {
  let i = entries.length;
  while (i > 0 && compareEntries(entries[i - 1], entry) > 0) i--;
  if (i === entries.length) entries.push(entry);
  else entries.splice(i, 0, entry);
}
