/**
 * Public types of the embedded sandbox upstream. Other modules (gateway tests, bench) code
 * against exactly these names, so keep them stable.
 */
import type { WireTransaction } from './wire';

export type SandboxRoute = 'balance' | 'charge' | 'get' | 'query';

export const SANDBOX_ROUTES: readonly SandboxRoute[] = ['balance', 'charge', 'get', 'query'];

export type FaultKind =
  | 'status500'
  | 'status502'
  | 'status503'
  | 'status504'
  | 'status429'
  /** Destroy the socket before doing anything (for charge: nothing debited). */
  | 'resetBeforeCommit'
  /** Charge: commit the debit, then destroy the socket without answering; reads: same as reset. */
  | 'resetAfterCommit'
  /** Never answer (until the server closes); for charge: commits nothing. */
  | 'hang'
  /** 200 with a JSON body of OVERSIZED_BODY_BYTES (6 MiB): more than the gateway reads by default. */
  | 'oversizedBody'
  /** 400 whose x-wix-request-id and error code are long and full of quotes and braces. */
  | 'hostileStrings';

export interface FaultRule {
  /** Default: all routes. */
  routes?: SandboxRoute[];
  kind: FaultKind;
  /** 0..1, default 1; drawn from the seeded PRNG. */
  probability?: number;
  /** Fire at most this many times, default unlimited. */
  times?: number;
  /** For status429: sets Retry-After. */
  retryAfterSeconds?: number;
}

export interface FaultController {
  /** Rules are checked in insertion order; the first match fires. */
  add(rule: FaultRule): void;
  /** Added latency before handling. */
  setLatency(ms: number, routes?: SandboxRoute[]): void;
  /** Reseed the fault PRNG (deterministic runs). */
  seed(seed: number): void;
  /** Remove rules and latency. */
  clear(): void;
}

export interface RequestRecord {
  route: SandboxRoute | 'unknown';
  method: string;
  path: string;
  body: string;
  idempotencyKey?: string;
  at: number;
  fault?: FaultKind;
  /** The W3C trace context the caller sent, if any. */
  traceparent?: string;
}

export interface SandboxAccount {
  apiKey: string;
  accountId: string;
  siteId: string;
}

/** Exact decimal strings. */
export interface BalanceSnapshot {
  periodic: string;
  topUp: string;
  available: string;
}

export interface SandboxCounters {
  get(route: SandboxRoute): number;
  total(): number;
  snapshot(): Record<SandboxRoute, number>;
  reset(): void;
}

export interface CreateAccountOptions {
  periodic?: string | number;
  periodicCap?: string | number;
  topUp?: string | number;
  history?: number;
}

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string;
  readonly demo: SandboxAccount;
  readonly other: SandboxAccount;
  readonly faults: FaultController;
  /** Requests received per route, faulted ones included. */
  readonly counters: SandboxCounters;
  /** Bounded log (last 10,000), cleared by counters.reset(). */
  readonly requests: RequestRecord[];
  /** Default on. */
  setDeduplication(on: boolean): void;
  createAccount(opts?: CreateAccountOptions): SandboxAccount;
  balanceOf(accountId: string): BalanceSnapshot;
  /** All, newest first. */
  transactionsOf(accountId: string): WireTransaction[];
  /** Closes the server, destroys hanging/open sockets, clears timers. */
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default true. */
  deduplicate?: boolean;
  /** USD (or currencyCode) per credit when a charge has no cost; default "0.05". */
  creditPrice?: string;
  /** Default USD. */
  currencyCode?: string;
  /** Seeded history of the demo account; default 300. */
  historySize?: number;
  /** Seeds the demo data and the fault PRNG. */
  seed?: number;
  /**
   * How a query with a cursor this sandbox did not issue (or issued to another account) is
   * answered: 400 as Wix does (default), or 500, as an upstream might that chokes on it (tests of
   * what a caller's forged cursor may do to the gateway's breaker).
   */
  unknownCursorStatus?: 400 | 500;
}
