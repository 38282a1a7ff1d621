/**
 * Route matching and the four contract handlers. Handlers return a status and a JSON body, or
 * throw SandboxHttpError; the HTTP layer (sandbox-server.ts) does the wire work and faults.
 */
import { API_PATH, type WireBalanceResponse, type WireQueryResponse, type WireTransactionResponse } from './wire';
import { parseChargeRequest } from './charge-request';
import { applicationError, notFound } from './errors';
import type { Ledger, LedgerAccount } from './ledger';
import { parseQuery, runQuery } from './query-engine';
import type { SandboxRoute } from './types';

export interface RouteMatch {
  route: SandboxRoute;
  /** Transaction id, for `get`. */
  id?: string;
}

const PREFIX = `${API_PATH}/`;

export function matchRoute(method: string | undefined, pathname: string): RouteMatch | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const rest = pathname.slice(PREFIX.length);
  if (rest === '' || rest.includes('/')) return undefined;
  if (method === 'POST') {
    if (rest === 'balance') return { route: 'balance' };
    if (rest === 'charge') return { route: 'charge' };
    if (rest === 'query') return { route: 'query' };
    return undefined;
  }
  if (method === 'GET') {
    try {
      return { route: 'get', id: decodeURIComponent(rest) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export interface HandlerContext {
  ledger: Ledger;
  deduplicate: boolean;
  unknownCursorStatus: 400 | 500;
  now: number;
}

/** First day of the next month, UTC, without milliseconds (as Wix prints dates). */
export function nextMonthlyReset(nowMs: number): string {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().replace('.000Z', 'Z');
}

function balance(account: LedgerAccount, ctx: HandlerContext): WireBalanceResponse {
  const periodic = account.periodic.toNumber();
  const cap = account.periodicCap.toNumber();
  return {
    periodicCredits: { balance: periodic, cap },
    topUpCredits: { balance: account.topUp.toNumber() },
    creditBalanceBreakdown: [
      {
        subscriptionId: account.subscriptionId,
        usageRules: [{ period: 'MONTH', balance: periodic, cap, resetDate: nextMonthlyReset(ctx.now) }],
      },
    ],
  };
}

function charge(account: LedgerAccount, body: unknown, ctx: HandlerContext): WireTransactionResponse {
  const request = parseChargeRequest(body);
  const outcome = ctx.ledger.charge(account.accountId, request, ctx.deduplicate);
  switch (outcome.kind) {
    case 'charged':
      return { creditTransaction: outcome.entry.tx };
    case 'insufficient':
      throw applicationError(428, 'INSUFFICIENT_CREDITS', 'Not enough credits for this charge', {
        availableCredits: outcome.available.toNumber(),
        requiredCredits: outcome.required.toNumber(),
      });
    case 'keyReused':
      throw applicationError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        'The idempotency key was already used for a different charge',
        {
          idempotencyKey: request.idempotencyKey,
          creditTransactionId: outcome.original.id,
        },
      );
  }
}

export function handle(match: RouteMatch, account: LedgerAccount, body: unknown, ctx: HandlerContext): HandlerResult {
  switch (match.route) {
    case 'balance':
      return { status: 200, body: balance(account, ctx) };
    case 'charge':
      return { status: 200, body: charge(account, body, ctx) };
    case 'get': {
      const entry = ctx.ledger.get(account.accountId, match.id ?? '');
      if (!entry) throw notFound(`Credit transaction ${match.id ?? ''} not found`);
      const response: WireTransactionResponse = { creditTransaction: entry.tx };
      return { status: 200, body: response };
    }
    case 'query': {
      const plan = parseQuery(body, account.accountId, ctx.unknownCursorStatus);
      const page: WireQueryResponse = runQuery(account.entries, plan, account.accountId);
      return { status: 200, body: page };
    }
  }
}
