/**
 * Test helpers: real HTTP calls to a sandbox over loopback, with Wix auth headers.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { API_PATH } from '../../src/sandbox/wire';
import type { SandboxAccount } from '../../src/sandbox';
import { accountHeaders } from '../support/accounts';

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // Tests inspect arbitrary response shapes.
  json: any;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  rawBody?: string;
  /** Default: the account's own id in wix-account-id. */
  headers?: Record<string, string>;
  noAuth?: boolean;
}

/** One pool per test file, closed in afterAll, so jest exits without stray sockets. */
export function makeAgent(): Agent {
  return new Agent({ keepAliveTimeout: 1000, connections: 16 });
}

export async function call(
  agent: Agent,
  baseUrl: string,
  account: SandboxAccount,
  path: string,
  opts: CallOptions = {},
): Promise<CallResult> {
  const method =
    opts.method ?? (path.startsWith('/') && !['/balance', '/charge', '/query'].includes(path) ? 'GET' : 'POST');
  const headers: Record<string, string> = {
    ...(opts.noAuth ? {} : accountHeaders(account)),
    ...(method !== 'GET' ? { 'content-type': 'application/json' } : {}),
    ...opts.headers,
  };
  const body = method === 'GET' ? undefined : (opts.rawBody ?? JSON.stringify(opts.body ?? {}));
  const res = await request(`${baseUrl}${API_PATH}${path}`, { method, headers, body, dispatcher: agent });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function chargeBody(credits: number | string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { amount: { credits }, idempotencyKey: randomUUID(), ...extra };
}
