/**
 * `npm run bench`: the gateway against a raw HTTP proxy making the same upstream call, in one run.
 *
 * Four child processes at most, each with its own event loop: the sandbox upstream, the gateway,
 * the raw proxy, and (for one phase) a gateway whose transaction cache is off. This process only
 * drives the load (autocannon) and reads counters, memory and CPU from the children over IPC.
 *
 *   node dist/bench/run.js [--quick]      --quick: 1 s warm-up + 2 s per phase (smoke run)
 *   BENCH_DURATION=<s>                    measured seconds per phase (default 8)
 *   BENCH_WARMUP=<s>                      warm-up seconds per phase (default 2)
 *   BENCH_CONNECTIONS=<n>                 concurrent connections (default 16)
 *   BENCH_CPU_PROF=<dir>                  write V8 CPU profiles of the gateway children into <dir>
 *
 * Prints a table and writes the same numbers to bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import { BenchChild, killAll, stopAll, type ProcessStats } from './ipc';
import type { UpstreamInfo } from './upstream-process';

// ---------------------------------------------------------------- settings

const quick = process.argv.includes('--quick');
function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 120) throw new Error(`${name} must be a number of seconds in (0, 120]`);
  return value;
}
const DURATION_S = seconds('BENCH_DURATION', quick ? 2 : 8);
const WARMUP_S = seconds('BENCH_WARMUP', quick ? 1 : 2);
const CONNECTIONS = Math.trunc(seconds('BENCH_CONNECTIONS', 16));
const LOOKUP_SIZE = 20;
const PHASES = 5;
/** Whole run, generous: children start in ~1 s each; a phase is warm-up + measurement. */
const WATCHDOG_MS = (PHASES * (WARMUP_S + DURATION_S) + 60) * 1000;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
const GATEWAY_EXEC_ARGV = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'bench', 'results');

// ---------------------------------------------------------------- helpers

type Counters = Record<string, number>;

interface PhaseResult {
  name: string;
  target: 'gateway' | 'raw proxy';
  url: string;
  requests: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** Target process CPU (user + system) per request, microseconds. */
  cpuUsPerRequest: number;
  upstreamCalls: number;
  upstreamCallsPerRequest: number;
  upstreamByRoute: Counters;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const sum = (counters: Counters) => Object.values(counters).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.statusCode, text: await res.body.text() };
}

function graphqlBody(query: string): string {
  return JSON.stringify({ query });
}

function aliasedLookup(ids: readonly string[], selection: string): string {
  return `{ ${ids.map((id, i) => `t${i}: creditTransaction(id: ${JSON.stringify(id)}) ${selection}`).join(' ')} }`;
}

function cpuMicros(stats: ProcessStats): number {
  return stats.cpu.user + stats.cpu.system;
}

function fail(message: string): never {
  throw new Error(message);
}

// ---------------------------------------------------------------- load

async function runPhase(
  name: string,
  target: PhaseResult['target'],
  child: BenchChild<unknown>,
  upstream: BenchChild<UpstreamInfo>,
  url: string,
  body: string,
  expectBody: string,
): Promise<PhaseResult> {
  const options = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    pipelining: 1,
    timeout: 10,
    expectBody,
  };
  process.stdout.write(`  ${name}: warm-up ${WARMUP_S} s`);
  await autocannon({ ...options, duration: WARMUP_S });
  await sleep(100); // let requests the warm-up abandoned drain upstream
  await upstream.call('resetCounters');
  const before = await child.stats();

  process.stdout.write(`, measuring ${DURATION_S} s`);
  const latencies: number[] = [];
  const instance = autocannon({ ...options, duration: DURATION_S });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
    if (status >= 200 && status < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  const after = await child.stats();
  await sleep(50);
  const upstreamByRoute = await upstream.call<Counters>('counters');
  process.stdout.write(' ✓\n');

  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length + result.non2xx;
  const upstreamCalls = sum(upstreamByRoute);
  return {
    name,
    target,
    url,
    requests,
    rps: round(latencies.length / result.duration, 0),
    latencyMs: {
      p50: round(percentile(sorted, 0.5), 3),
      p90: round(percentile(sorted, 0.9), 3),
      p99: round(percentile(sorted, 0.99), 3),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 3),
      max: round(sorted.length ? sorted[sorted.length - 1] : NaN, 3),
    },
    cpuUsPerRequest: round((cpuMicros(after) - cpuMicros(before)) / Math.max(1, requests), 0),
    upstreamCalls,
    upstreamCallsPerRequest: round(upstreamCalls / Math.max(1, requests), 3),
    upstreamByRoute: Object.fromEntries(Object.entries(upstreamByRoute).filter(([, n]) => n > 0)),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}

// ---------------------------------------------------------------- checks before load

/** Same data from both, and the exact body each target answers (autocannon checks every response against it). */
async function expectedBodies(gatewayUrl: string, rawUrl: string, query: string, rawPath: string): Promise<{ gateway: string; raw: string }> {
  const gw = await post(`${gatewayUrl}/graphql`, graphqlBody(query));
  const raw = await post(`${rawUrl}${rawPath}`, graphqlBody(query));
  if (gw.status !== 200) fail(`gateway answered ${gw.status}: ${gw.text.slice(0, 500)}`);
  if (raw.status !== 200) fail(`raw proxy answered ${raw.status}: ${raw.text.slice(0, 500)}`);
  const gwJson = JSON.parse(gw.text) as { data?: unknown; errors?: unknown };
  if (gwJson.errors) fail(`gateway answered errors: ${gw.text.slice(0, 500)}`);
  if (JSON.stringify(gwJson) !== JSON.stringify(JSON.parse(raw.text))) {
    fail(`gateway and raw proxy disagree:\n  gateway ${gw.text.slice(0, 300)}\n  raw     ${raw.text.slice(0, 300)}`);
  }
  return { gateway: gw.text, raw: raw.text };
}

interface BatchCheck {
  description: string;
  aliases: number;
  distinctIds: number;
  upstreamCalls: number;
  expected: number;
  ok: boolean;
}

async function batchCheck(
  gatewayUrl: string,
  upstream: BenchChild<UpstreamInfo>,
  description: string,
  ids: readonly string[],
  expected: number,
): Promise<BatchCheck> {
  await upstream.call('resetCounters');
  const res = await post(`${gatewayUrl}/graphql`, graphqlBody(aliasedLookup(ids, '{ id }')));
  const json = JSON.parse(res.text) as { data?: Record<string, { id: string } | null>; errors?: unknown };
  if (res.status !== 200 || json.errors) fail(`batching check "${description}": ${res.status} ${res.text.slice(0, 500)}`);
  const found = Object.values(json.data ?? {}).filter((tx) => tx !== null).length;
  if (found !== ids.length) fail(`batching check "${description}": ${found} of ${ids.length} transactions found`);
  const upstreamCalls = sum(await upstream.call<Counters>('counters'));
  return { description, aliases: ids.length, distinctIds: new Set(ids).size, upstreamCalls, expected, ok: upstreamCalls === expected };
}

// ---------------------------------------------------------------- report

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function ratio(a: number, b: number): number {
  return round(a / b, 2);
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const startedAt = new Date();
  console.log(
    `credits-gateway benchmark: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per phase` +
      `${quick ? ' (--quick)' : ''}; node ${process.version}, ${os.cpus().length} CPUs`,
  );

  const upstream = await BenchChild.start<UpstreamInfo>('upstream', 'upstream-process', {});
  const { url: upstreamUrl, apiKey, accountId, transactionIds } = upstream.info;
  if (transactionIds.length < 250) fail(`the sandbox seeded only ${transactionIds.length} transactions`);
  const lookupIds = transactionIds.slice(0, LOOKUP_SIZE);
  const env = {
    BENCH_UPSTREAM_URL: upstreamUrl,
    BENCH_API_KEY: apiKey,
    BENCH_ACCOUNT_ID: accountId,
    BENCH_LOOKUP_IDS: lookupIds.join(','),
    // Measured as deployed: graphql-js and friends drop development-only checks in production.
    NODE_ENV: 'production',
  };
  const [gateway, raw] = await Promise.all([
    BenchChild.start<{ url: string }>('gateway', 'gateway-process', { ...env, BENCH_CACHE: 'on' }, undefined, GATEWAY_EXEC_ARGV),
    BenchChild.start<{ url: string }>('raw proxy', 'raw-proxy-process', env),
  ]);
  console.log(`upstream ${upstreamUrl} (pid ${upstream.pid}), gateway ${gateway.info.url} (pid ${gateway.pid}), raw proxy ${raw.info.url} (pid ${raw.pid})`);

  // (c) batching, first, while the ids involved are not cached yet.
  const batching = [
    await batchCheck(gateway.info.url, upstream, '50 aliased distinct ids', transactionIds.slice(50, 100), 1),
    await batchCheck(gateway.info.url, upstream, 'the same 50 again (shared cache)', transactionIds.slice(50, 100), 0),
    await batchCheck(gateway.info.url, upstream, '150 aliased distinct ids', transactionIds.slice(100, 250), 2),
  ];

  const balanceQuery = '{ creditBalance { availableCredits } }';
  const lookupQuery = aliasedLookup(lookupIds, '{ id amount { credits } }');
  const balanceBodies = await expectedBodies(gateway.info.url, raw.info.url, balanceQuery, '/graphql');
  const lookupBodies = await expectedBodies(gateway.info.url, raw.info.url, lookupQuery, '/lookup');

  await gateway.call('gc');
  const gatewayIdle = await gateway.stats();
  const rawIdle = await raw.stats();

  console.log('phases:');
  const phases: PhaseResult[] = [];
  const balanceBody = graphqlBody(balanceQuery);
  const lookupBody = graphqlBody(lookupQuery);
  phases.push(await runPhase('balance · raw proxy', 'raw proxy', raw, upstream, `${raw.info.url}/graphql`, balanceBody, balanceBodies.raw));
  phases.push(await runPhase('balance · gateway', 'gateway', gateway, upstream, `${gateway.info.url}/graphql`, balanceBody, balanceBodies.gateway));
  phases.push(await runPhase(`lookup ×${LOOKUP_SIZE} · raw proxy`, 'raw proxy', raw, upstream, `${raw.info.url}/lookup`, lookupBody, lookupBodies.raw));
  phases.push(
    await runPhase(`lookup ×${LOOKUP_SIZE} · gateway, cache warm`, 'gateway', gateway, upstream, `${gateway.info.url}/graphql`, lookupBody, lookupBodies.gateway),
  );
  const gatewayLoaded = await gateway.stats();
  await gateway.call('gc');
  const gatewayAfterGc = await gateway.stats();
  const rawLoaded = await raw.stats();
  await gateway.stop();

  const cold = await BenchChild.start<{ url: string }>('gateway (cache off)', 'gateway-process', { ...env, BENCH_CACHE: 'off' }, undefined, GATEWAY_EXEC_ARGV);
  phases.push(
    await runPhase(`lookup ×${LOOKUP_SIZE} · gateway, cache off`, 'gateway', cold, upstream, `${cold.info.url}/graphql`, lookupBody, lookupBodies.gateway),
  );
  await cold.stop();

  const byName = (name: string) => phases.find((p) => p.name === name) ?? fail(`no phase ${name}`);
  const compare = (gatewayPhase: PhaseResult, rawPhase: PhaseResult) => ({
    gateway: gatewayPhase.name,
    baseline: rawPhase.name,
    p50: ratio(gatewayPhase.latencyMs.p50, rawPhase.latencyMs.p50),
    p99: ratio(gatewayPhase.latencyMs.p99, rawPhase.latencyMs.p99),
    rps: ratio(rawPhase.rps, gatewayPhase.rps),
    cpuPerRequest: ratio(gatewayPhase.cpuUsPerRequest, rawPhase.cpuUsPerRequest),
  });
  const rawBalance = byName('balance · raw proxy');
  const rawLookup = byName(`lookup ×${LOOKUP_SIZE} · raw proxy`);
  const overhead = [
    compare(byName('balance · gateway'), rawBalance),
    compare(byName(`lookup ×${LOOKUP_SIZE} · gateway, cache warm`), rawLookup),
    compare(byName(`lookup ×${LOOKUP_SIZE} · gateway, cache off`), rawLookup),
  ];
  const memory = {
    gatewayIdleRssMB: mb(gatewayIdle.memory.rss),
    gatewayIdleHeapUsedMB: mb(gatewayIdle.memory.heapUsed),
    gatewayRssAfterLoadMB: mb(gatewayLoaded.memory.rss),
    gatewayHeapUsedAfterLoadMB: mb(gatewayLoaded.memory.heapUsed),
    gatewayHeapUsedAfterGcMB: mb(gatewayAfterGc.memory.heapUsed),
    rawProxyIdleRssMB: mb(rawIdle.memory.rss),
    rawProxyRssAfterLoadMB: mb(rawLoaded.memory.rss),
  };

  // ------------------------------------------------------------ print
  console.log('');
  console.log(
    table([
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'upstream/req', 'bad'],
      ...phases.map((p) => [
        p.name,
        String(p.rps),
        p.latencyMs.p50.toFixed(2),
        p.latencyMs.p99.toFixed(2),
        String(p.cpuUsPerRequest),
        p.upstreamCallsPerRequest.toFixed(2),
        String(p.non2xx + p.errors + p.timeouts + p.mismatches),
      ]),
    ]),
  );
  console.log('\noverhead (gateway ÷ raw proxy; raw ÷ gateway for req/s):');
  console.log(
    table([
      ['gateway phase', 'p50 ×', 'p99 ×', 'req/s ×', 'CPU/req ×'],
      ...overhead.map((o) => [o.gateway, o.p50.toFixed(2), o.p99.toFixed(2), o.rps.toFixed(2), o.cpuPerRequest.toFixed(2)]),
    ]),
  );
  console.log('\nbatching (one GraphQL request each; upstream calls counted by the sandbox):');
  console.log(
    table([
      ['request', 'upstream calls', 'expected', ''],
      ...batching.map((b) => [b.description, String(b.upstreamCalls), String(b.expected), b.ok ? 'ok' : 'FAIL']),
    ]),
  );
  console.log(
    `\ngateway memory: RSS ${memory.gatewayIdleRssMB} MB idle → ${memory.gatewayRssAfterLoadMB} MB after load` +
      ` (heap used ${memory.gatewayIdleHeapUsedMB} MB idle, ${memory.gatewayHeapUsedAfterLoadMB} MB after load, ${memory.gatewayHeapUsedAfterGcMB} MB after GC);` +
      ` raw proxy RSS ${memory.rawProxyIdleRssMB} MB idle → ${memory.rawProxyRssAfterLoadMB} MB after load`,
  );

  // ------------------------------------------------------------ write
  const report = {
    date: startedAt.toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    settings: { connections: CONNECTIONS, warmupSeconds: WARMUP_S, durationSeconds: DURATION_S, quick, lookupSize: LOOKUP_SIZE },
    phases,
    overhead,
    batching,
    memory,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'latest.json'))}`);

  const bad = phases.filter((p) => p.non2xx + p.errors + p.timeouts + p.mismatches > 0);
  for (const p of bad) {
    console.error(`${p.name}: ${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts, ${p.mismatches} unexpected bodies`);
  }
  const failedBatches = batching.filter((b) => !b.ok);
  for (const b of failedBatches) console.error(`batching: ${b.description} made ${b.upstreamCalls} upstream calls, expected ${b.expected}`);
  return bad.length + failedBatches.length > 0 ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`\nbenchmark exceeded ${WATCHDOG_MS / 1000} s; killing children`);
  killAll();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.once('exit', killAll);

main()
  .catch((error: unknown) => {
    console.error(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await stopAll();
    clearTimeout(watchdog);
    process.exit(code);
  });
