/**
 * The recorded Wix exchanges in test/fixtures/wix/ (see docs/wix-api.md, "Recorded exchanges").
 * Both the client's decoder tests and the sandbox's route tests read them from here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WixExchange {
  name: string;
  /** The section of docs/wix-api.md this exchange illustrates. */
  contract: string;
  /** An answer a real Wix may give that the sandbox never does. */
  clientOnly?: boolean;
  /** Which credentials the caller presented: the account's own (default), a wrong key, or another account's id. */
  credentials?: 'wrongKey' | 'otherAccount';
  /** The sandbox fault that produced the answer. */
  sandboxFault?: { kind: 'status429' | 'status503'; retryAfterSeconds?: number };
  request: { method: 'GET' | 'POST'; path: string; body?: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export const WIX_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'wix');

export function wixExchange(name: string): WixExchange {
  const parsed = JSON.parse(readFileSync(join(WIX_FIXTURES_DIR, `${name}.json`), 'utf8')) as Omit<WixExchange, 'name'>;
  return { name, ...parsed };
}

export function allWixExchanges(): WixExchange[] {
  return readdirSync(WIX_FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => wixExchange(file.slice(0, -'.json'.length)));
}
