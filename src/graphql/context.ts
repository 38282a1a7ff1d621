/**
 * The per-request context: who is calling (credentials and the tenant derived from them), the
 * request's deadline, a request id, and loaders made fresh for this request only.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RequestDeadline } from '../common/abortable';
import { UNRESTRICTED_CALLER, type Caller } from '../auth/caller';
import type { ChargeService } from '../charges/charge-service';
import type { ChargeLimits } from '../charges/limits/charge-limits';
import type { TransactionCache } from '../reader/cache/transaction-cache';
import type { CursorCodec } from '../reader/pagination/cursor-codec';
import { unauthenticated } from './errors';
import { BalanceLoader } from '../reader/balance.loader';
import { createTransactionLoader, type TransactionLoader } from '../reader/transaction-by-id.loader';
import type { WixCallOptions, WixClient } from '../wix/wix-client';
import { contextKey, tenantKey, type WixCredentials } from '../wix/wix-credentials';

/** Long-lived collaborators shared by all requests (none holds per-request state). */
export interface GatewayServices {
  client: WixClient;
  charges: ChargeService;
  /** Rate and budget per caller around `charges`, and the audit line of every charge. */
  chargeLimits?: ChargeLimits;
  transactionCache: TransactionCache;
  /** Signs and checks connection cursors (CURSOR_SECRET). */
  cursors: CursorCodec;
}

/** Where a request's Wix credentials come from. */
export type CredentialSource = { kind: 'server'; credentials: WixCredentials } | { kind: 'forward' };

export interface GatewayContext {
  requestId: string;
  /** Who calls, for scopes and per-caller limits. */
  caller: Caller;
  /** Null when forwarding and the caller sent none: only schema-level operations work then. */
  credentials: WixCredentials | null;
  tenant: string | null;
  /** Aborts at the request's deadline (armed on first read). */
  readonly signal: AbortSignal;
  /** The request's one deadline timer; disposed when the response has been sent. */
  deadline: RequestDeadline;
  services: GatewayServices;
  loaders: { transactionById: TransactionLoader; balance: BalanceLoader };
  /** Credentials and deadline for an upstream call; throws UNAUTHENTICATED without credentials. */
  callOptions(): WixCallOptions & { tenant: string; scope: string; signal: AbortSignal };
}

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A caller's own Wix credentials, as Wix takes them: Authorization plus one context header. */
export function forwardedCredentials(headers: IncomingHttpHeaders): WixCredentials | null {
  const authorization = single(headers.authorization);
  const accountId = single(headers['wix-account-id']);
  const siteId = single(headers['wix-site-id']);
  if (!authorization) return null;
  if (accountId && !siteId) return { authorization, accountId };
  if (siteId && !accountId) return { authorization, siteId };
  return null;
}

export interface ContextInput {
  headers: IncomingHttpHeaders;
  requestId?: string;
  deadlineMs: number;
  caller?: Caller;
}

/** Server-held credentials never change: their tenant digest is computed once. */
const serverTenants = new WeakMap<WixCredentials, string>();

function serverTenant(credentials: WixCredentials): string {
  let tenant = serverTenants.get(credentials);
  if (tenant === undefined) serverTenants.set(credentials, (tenant = tenantKey(credentials)));
  return tenant;
}

export function createContext(
  services: GatewayServices,
  source: CredentialSource,
  input: ContextInput,
): GatewayContext {
  const credentials = source.kind === 'server' ? source.credentials : forwardedCredentials(input.headers);
  const tenant =
    source.kind === 'server' ? serverTenant(source.credentials) : credentials ? tenantKey(credentials) : null;
  const scope = credentials ? contextKey(credentials) : '';
  const deadline = new RequestDeadline(input.deadlineMs);
  let transactionById: TransactionLoader | undefined;
  let balance: BalanceLoader | undefined;
  const callOptions = () => {
    if (!credentials || !tenant) {
      throw unauthenticated(
        'Send your Wix credentials: an Authorization header and exactly one of wix-account-id or wix-site-id.',
      );
    }
    return { credentials, tenant, scope, signal: deadline.signal };
  };
  return {
    requestId: input.requestId ?? randomUUID(),
    caller: input.caller ?? UNRESTRICTED_CALLER,
    credentials,
    tenant,
    get signal() {
      return deadline.signal;
    },
    deadline,
    services,
    callOptions,
    // Made on first use: most requests need one loader or none.
    loaders: {
      get transactionById() {
        return (transactionById ??= createTransactionLoader(
          services.client,
          services.transactionCache,
          tenant ?? '',
          callOptions,
        ));
      },
      get balance() {
        return (balance ??= new BalanceLoader(services.client, callOptions));
      },
    },
  };
}
