/**
 * Starts the real thing for integration tests: the sandbox upstream and the gateway, both on
 * port 0 at 127.0.0.1, talking HTTP over loopback. Every suite closes what it started.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { request } from 'undici';
import { DEFAULT_LIMITS } from '../../src/config';
import type { CredentialSource } from '../../src/graphql/context';
import { createGateway, type Gateway, type GatewayConfig, type GatewayOptions } from '../../src/gateway';
import { startSandbox, type Sandbox, type SandboxAccount, type SandboxOptions } from '../../src/sandbox';

export const testConfig = (overrides: Partial<GatewayConfig> = {}): GatewayConfig => ({
  host: '127.0.0.1',
  port: 0,
  wixBaseUrl: 'http://127.0.0.1:1', // replaced by the sandbox URL
  attemptTimeoutMs: 2_000,
  requestDeadlineMs: 8_000,
  chargeSettleMs: 200,
  redisUrl: null,
  routerSecret: null,
  cursorSecret: null,
  introspection: true,
  landingPage: false,
  includeStacktrace: false,
  corsOrigins: [],
  logLevel: 'silent',
  limits: { ...DEFAULT_LIMITS },
  ...overrides,
});

export interface GraphQLResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
  raw: string;
}

export interface HarnessOptions {
  /** Whose credentials the gateway holds: the demo account by default, or forwarding. */
  credentials?: 'demo' | 'forward' | ((sandbox: Sandbox) => SandboxAccount);
  config?: Partial<GatewayConfig>;
  sandbox?: SandboxOptions;
  retry?: GatewayOptions['retry'];
  chargeBackoff?: GatewayOptions['chargeBackoff'];
  transactionCache?: GatewayOptions['transactionCache'];
  logStream?: GatewayOptions['logStream'];
}

export interface Harness {
  sandbox: Sandbox;
  gateway: Gateway;
  url: string;
  graphql<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables> | DocumentNode | string,
    variables?: TVariables,
    options?: { headers?: Record<string, string>; path?: string },
  ): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

export { accountHeaders } from './accounts';

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const raw = await res.body.text();
  return { status: res.statusCode, headers: res.headers, raw };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ seed: 7, ...options.sandbox });
  let credentialSource: CredentialSource;
  if (options.credentials === 'forward') {
    credentialSource = { kind: 'forward' };
  } else {
    const account = typeof options.credentials === 'function' ? options.credentials(sandbox) : sandbox.demo;
    credentialSource = { kind: 'server', credentials: { authorization: account.apiKey, accountId: account.accountId } };
  }
  const gateway = await createGateway({
    config: testConfig({ ...options.config, wixBaseUrl: sandbox.url }),
    credentialSource,
    retry: options.retry,
    chargeBackoff: options.chargeBackoff,
    transactionCache: options.transactionCache,
    collectDefaultMetrics: false,
    logStream: options.logStream,
  });
  const url = await gateway.listen();
  return {
    sandbox,
    gateway,
    url,
    async graphql(document, variables, opts = {}) {
      const query = typeof document === 'string' ? document : print(document);
      const res = await postJson(`${url}${opts.path ?? '/graphql'}`, { query, variables }, opts.headers);
      return {
        status: res.status,
        headers: res.headers,
        raw: res.raw,
        body: JSON.parse(res.raw) as GraphQLResponse<never>['body'],
      };
    },
    async close() {
      await gateway.close();
      await sandbox.close();
    },
  };
}
