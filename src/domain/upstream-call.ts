/**
 * Who an upstream call acts as and how it is made: the credentials a caller presents (or the
 * server holds) and the options of one call. The reader's and the charges' ports take these;
 * src/wix implements the ports and turns them into request headers. Also the two keys derived
 * from credentials: the tenant (caches, loaders, shared reads) and the idempotency scope.
 */
import { createHash } from 'node:crypto';
import { parseGuid } from './guid';

/** The account or site a call acts in: exactly one of the two. */
export type CallerContext = { accountId: string; siteId?: undefined } | { siteId: string; accountId?: undefined };

/**
 * An `Authorization` value (an API key or app token, raw) plus the account or site it acts in.
 * Server-held and caller-forwarded credentials share this shape.
 */
export type CallerCredentials = { authorization: string } & CallerContext;

/**
 * What aborts a call: an AbortSignal, or the request's deadline, watched without an AbortSignal
 * (src/common/abortable.ts: AbortSource, whenAborted).
 */
export type CallSignal =
  | AbortSignal
  | { readonly aborted: boolean; readonly reason: unknown; subscribe(listener: () => void): () => void };

/** The options of one upstream call. */
export interface UpstreamCallOptions {
  credentials: CallerCredentials;
  /** Aborts the call (the GraphQL request's deadline). */
  signal?: CallSignal;
  /** Send a call of its own, never share one already in flight (a charge's idempotency lookup). */
  fresh?: boolean;
}

/**
 * The account (or site) the credentials act in: what idempotency keys are scoped to. Wix account
 * and site ids are GUIDs: "9D1F…" and "9d1f…" name one account and share one key space (merging
 * scopes only serializes more, the safe direction). An id that is not a GUID names no Wix account;
 * it is kept as sent rather than guessed at.
 */
export function contextKey(credentials: CallerCredentials): string {
  return credentials.accountId !== undefined
    ? `account:${parseGuid(credentials.accountId) ?? credentials.accountId}`
    : `site:${parseGuid(credentials.siteId) ?? credentials.siteId}`;
}

/**
 * A tenant key for caches, loaders and shared reads: a digest of the credential *and* the context
 * exactly as the upstream authenticates them, so an entry fetched with proven access is never
 * served to a caller who only names the same account. The context id is taken verbatim, not
 * case-folded: the upstream compares it exactly (the sandbox answers 403 to "0D3E…" for a key
 * of "0d3e…"), so folding would serve from cache a credential the upstream rejects.
 * (Idempotency scopes, `contextKey`, do fold case: there merging is the safe direction.)
 */
export function tenantKey(credentials: CallerCredentials): string {
  const context =
    credentials.accountId !== undefined ? `account:${credentials.accountId}` : `site:${credentials.siteId}`;
  return createHash('sha256').update(credentials.authorization).update('\n').update(context).digest('base64url');
}
