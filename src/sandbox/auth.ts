/**
 * Wix API-key authentication: `Authorization: <key>` (a `Bearer ` prefix is tolerated) plus
 * exactly one of `wix-account-id` / `wix-site-id`, which must name the key's own account.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { applicationError } from './errors';
import type { Ledger, LedgerAccount } from './ledger';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** Returns the caller's account, or throws 401 UNAUTHENTICATED / 403 FORBIDDEN. */
export function authenticate(headers: IncomingHttpHeaders, ledger: Ledger): LedgerAccount {
  const raw = header(headers, 'authorization');
  const apiKey = raw?.replace(/^Bearer\s+/i, '').trim();
  const account = apiKey ? ledger.accountByApiKey(apiKey) : undefined;
  if (!account)
    throw applicationError(401, 'UNAUTHENTICATED', raw ? 'Invalid API key' : 'Missing Authorization header');

  const accountId = header(headers, 'wix-account-id');
  const siteId = header(headers, 'wix-site-id');
  if (accountId !== undefined && siteId !== undefined)
    throw applicationError(403, 'FORBIDDEN', 'Send exactly one of wix-account-id and wix-site-id');
  if (accountId === undefined && siteId === undefined)
    throw applicationError(403, 'FORBIDDEN', 'Missing wix-account-id or wix-site-id header');
  if (accountId !== undefined ? accountId !== account.accountId : siteId !== account.siteId)
    throw applicationError(403, 'FORBIDDEN', 'The API key has no permission for this account or site');
  return account;
}
