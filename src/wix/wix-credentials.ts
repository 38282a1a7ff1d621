/**
 * Credentials for one upstream call: Wix's `Authorization` (an API key or app token, raw) plus
 * exactly one context header. Server-held and caller-forwarded credentials share this shape.
 */
import { createHash } from 'node:crypto';
import { parseGuid } from '../domain/guid';

export type WixContext = { accountId: string; siteId?: undefined } | { siteId: string; accountId?: undefined };

export type WixCredentials = { authorization: string } & WixContext;

export function credentialHeaders(credentials: WixCredentials): Record<string, string> {
  return credentials.accountId !== undefined
    ? { authorization: credentials.authorization, 'wix-account-id': credentials.accountId }
    : { authorization: credentials.authorization, 'wix-site-id': credentials.siteId };
}

/**
 * The account (or site) the credentials act in: what idempotency keys are scoped to. Wix account
 * and site ids are GUIDs: "9D1F…" and "9d1f…" name one account and share one key space (merging
 * scopes only serializes more, the safe direction). An id that is not a GUID names no Wix account;
 * it is kept as sent rather than guessed at.
 */
export function contextKey(credentials: WixCredentials): string {
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
export function tenantKey(credentials: WixCredentials): string {
  const context =
    credentials.accountId !== undefined ? `account:${credentials.accountId}` : `site:${credentials.siteId}`;
  return createHash('sha256').update(credentials.authorization).update('\n').update(context).digest('base64url');
}
