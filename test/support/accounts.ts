/** The Wix credential headers a caller presents for a sandbox account. */
import type { SandboxAccount } from '../../src/sandbox';

export function accountHeaders(account: Pick<SandboxAccount, 'apiKey' | 'accountId'>): Record<string, string> {
  return { authorization: account.apiKey, 'wix-account-id': account.accountId };
}
