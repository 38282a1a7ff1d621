/**
 * Benchmark child: the gateway (createGateway, server-held demo credentials) on 127.0.0.1:0.
 * Environment: BENCH_UPSTREAM_URL, BENCH_API_KEY, BENCH_ACCOUNT_ID, BENCH_CACHE=on|off
 * (off: a transaction cache that never holds anything, so every lookup goes upstream),
 * BENCH_COLLAPSE=on|off (upstream read collapsing, COLLAPSE_READS; default on).
 */
import 'reflect-metadata';
import type { TransactionCache } from '../src/reader/cache/transaction-cache';
import { createGateway, type GatewayConfig } from '../src/gateway';
import { serveChild } from './ipc';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The shape of test/support/harness.ts testConfig(), with limits raised for the batching check. */
export function benchConfig(wixBaseUrl: string): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    wixBaseUrl,
    attemptTimeoutMs: 2_000,
    requestDeadlineMs: 8_000,
    chargeSettleMs: 5_000,
    redisUrl: null,
    routerSecret: null,
    cursorSecret: null,
    introspection: false,
    landingPage: false,
    includeStacktrace: false,
    corsOrigins: [],
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // Defaults are 30 aliases / 200 fields / 2,000 tokens; the ⌈N/100⌉ check sends up to 150 aliased lookups.
    limits: {
      maxDepth: 12,
      maxAliases: 200,
      maxFields: 1_000,
      maxDuplicateFields: 16,
      maxTokens: 5_000,
      maxComments: 500,
      maxBodyBytes: 64 * 1024,
      maxCost: 200,
    },
    collapseReads: (process.env.BENCH_COLLAPSE ?? 'on') !== 'off',
  };
}

const noCache: TransactionCache = {
  getMany: async (_tenant, ids) => ids.map(() => undefined),
  setMany: async () => undefined,
  close: async () => undefined,
};

serveChild<{ url: string; cache: boolean }>(async () => {
  const cache = (process.env.BENCH_CACHE ?? 'on') !== 'off';
  const gateway = await createGateway({
    config: benchConfig(required('BENCH_UPSTREAM_URL')),
    credentialSource: {
      kind: 'server',
      credentials: { authorization: required('BENCH_API_KEY'), accountId: required('BENCH_ACCOUNT_ID') },
    },
    ...(cache ? {} : { transactionCache: noCache }),
    collectDefaultMetrics: false,
  });
  const url = await gateway.listen();
  return { info: { url, cache }, close: () => gateway.close() };
});
