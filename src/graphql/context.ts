/**
 * The per-request context resolvers see: `{ requestId, caller, reader, charges }`. The reader
 * and the charges are bound to the request's credentials, tenant and deadline; resolvers never
 * touch credentials, loaders or services themselves. Built by the HTTP server for every GraphQL
 * request, so it is cheap: one object and the deadline (whose timer is armed only when an
 * upstream call watches it); the reader and the charges are made on first use.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { UNRESTRICTED_CALLER, type Caller } from '../auth/caller';
import type { ChargeCall } from '../charges/charge-service';
import { type ChargeAccess, type ChargeServices, RequestCharges } from '../charges/request-charges';
import { RequestDeadline } from '../common/abortable';
import { CreditsReader, type ReadAccess, type ReaderServices } from '../reader/credits-reader';
import { contextKey, tenantKey, type CallerCredentials } from '../domain/upstream-call';
import { unauthenticated } from './errors';

/** Long-lived collaborators shared by all requests (none holds per-request state). */
export type GatewayServices = ReaderServices & ChargeServices;

/** Where a request's Wix credentials come from. */
export type CredentialSource = { kind: 'server'; credentials: CallerCredentials } | { kind: 'forward' };

export interface GatewayContext {
  readonly requestId: string;
  /** Who calls, for scopes and per-caller limits. */
  readonly caller: Caller;
  /** The request's reads: balance, transactions by id (batched), history pages. */
  readonly reader: CreditsReader;
  /** The request's charges, limits and audit included. */
  readonly charges: RequestCharges;
  /** The request's one deadline timer; the server disposes of it when the response has been sent. */
  readonly deadline: RequestDeadline;
}

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A caller's own Wix credentials, as Wix takes them: Authorization plus one context header. */
export function forwardedCredentials(headers: IncomingHttpHeaders): CallerCredentials | null {
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
const serverTenants = new WeakMap<CallerCredentials, string>();

function serverTenant(credentials: CallerCredentials): string {
  let tenant = serverTenants.get(credentials);
  if (tenant === undefined) serverTenants.set(credentials, (tenant = tenantKey(credentials)));
  return tenant;
}

/** One request's context; it is also the access (credentials, tenant, deadline) its reader and charges use. */
class RequestContext implements GatewayContext, ReadAccess, ChargeAccess {
  readonly deadline: RequestDeadline;
  private upstreamCall: ChargeCall | null = null;
  private creditsReader: CreditsReader | null = null;
  private requestCharges: RequestCharges | null = null;

  constructor(
    private readonly services: GatewayServices,
    readonly requestId: string,
    readonly caller: Caller,
    private readonly credentials: CallerCredentials | null,
    private readonly tenant: string | null,
    deadlineMs: number,
  ) {
    this.deadline = new RequestDeadline(deadlineMs);
  }

  get reader(): CreditsReader {
    return (this.creditsReader ??= new CreditsReader(this.services, this));
  }

  get charges(): RequestCharges {
    return (this.requestCharges ??= new RequestCharges(this.services, this, (transaction) =>
      this.reader.charged(transaction),
    ));
  }

  call(): ChargeCall {
    if (this.upstreamCall) return this.upstreamCall;
    const { credentials, tenant } = this;
    if (!credentials || !tenant) {
      throw unauthenticated(
        'Send your Wix credentials: an Authorization header and exactly one of wix-account-id or wix-site-id.',
      );
    }
    // The deadline itself is the call's signal: its timer is armed when an upstream call first
    // watches it (a lookup the tenant cache answers never arms one); no AbortSignal is made for
    // it (see common/abortable.ts).
    return (this.upstreamCall = { credentials, tenant, scope: contextKey(credentials), signal: this.deadline });
  }
}

export function createContext(
  services: GatewayServices,
  source: CredentialSource,
  input: ContextInput,
): GatewayContext {
  const credentials = source.kind === 'server' ? source.credentials : forwardedCredentials(input.headers);
  const tenant =
    source.kind === 'server' ? serverTenant(source.credentials) : credentials ? tenantKey(credentials) : null;
  return new RequestContext(
    services,
    input.requestId ?? randomUUID(),
    input.caller ?? UNRESTRICTED_CALLER,
    credentials,
    tenant,
    input.deadlineMs,
  );
}
