/**
 * `npm run bench`: where the gateway's time goes, against a raw HTTP proxy making the same
 * upstream call, in one run.
 *
 *  1. Cost ledger: `{ creditBalance { availableCredits } }` under 50 connections through a ladder
 *     of servers, each its own process: raw node:http + undici → + Fastify → Apollo on node:http →
 *     + Apollo via Fastify → + type-graphql schema → the full gateway (read collapsing off, then on).
 *     CPU µs/request (process.cpuUsage of the target) and req/s per rung.
 *  2. Collapsing: upstream calls per request of the full gateway under those 50 clients of one tenant.
 *  3. One connection, one request at a time: mean latency added over the raw proxy.
 *  4. Lookups of 20 aliased ids (16 connections): raw proxy, gateway with warm cache, cache off.
 *  5. Memory of the gateway: idle RSS, peak RSS under load, heap after a forced GC.
 *
 *   node dist/bench/run.js [--quick]      --quick: 1 s warm-up + 2 s per phase (smoke run)
 *   BENCH_DURATION=<s>                    measured seconds per phase (default 8)
 *   BENCH_WARMUP=<s>                      warm-up seconds per phase (default 2)
 *   BENCH_CONNECTIONS=<n>                 connections of the lookup phases (default 16)
 *   BENCH_LEDGER_CONNECTIONS=<n>          connections of the ledger phases (default 50)
 *   BENCH_CPU_PROF=<dir>                  write V8 CPU profiles of the gateway children into <dir>
 *   BENCH_GATEWAY_ARGV="<flags>"          node flags for the gateway children instead of those of `npm start` ("" for none)
 *
 * Prints the tables and writes the same numbers to bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { gatewayFlags } from './start-flags';
import path from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import { BenchChild, killAll, stopAll, type ProcessStats } from './ipc';
import { aliasedLookup, BALANCE_QUERY } from './queries';
import { RUNGS, type Rung } from './rungs';
import { probeLatency, type ProbeResult } from './latency-probe';
import type { UpstreamInfo } from './upstream-process';

// ---------------------------------------------------------------- settings

const quick = process.argv.includes('--quick');
function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 120)
    throw new Error(`${name} must be a number of seconds in (0, 120]`);
  return value;
}
const DURATION_S = seconds('BENCH_DURATION', quick ? 2 : 8);
const WARMUP_S = seconds('BENCH_WARMUP', quick ? 1 : 2);
const CONNECTIONS = Math.trunc(seconds('BENCH_CONNECTIONS', 16));
const LEDGER_CONNECTIONS = Math.trunc(seconds('BENCH_LEDGER_CONNECTIONS', 50));
const LOOKUP_SIZE = 20;
const PHASES = 10;
/**
 * Whole run, generous: a phase is warm-up + measurement; children start in ~1 s each on a quiet
 * machine and the one-connection probe takes ~10 s, both far longer under heavy load (a run at
 * load average 28 overran a 60 s allowance).
 */
const WATCHDOG_MS = (PHASES * (WARMUP_S + DURATION_S) + 240) * 1000;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
const GATEWAY_EXEC_ARGV = [
  ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []),
  ...gatewayFlags(),
];
const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'bench', 'results');

// ---------------------------------------------------------------- helpers

type Counters = Record<string, number>;

interface PhaseResult {
  name: string;
  target: string;
  connections: number;
  /** Highest RSS of the target sampled during the measured window, MB. */
  peakRssMB: number;
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
  connections = CONNECTIONS,
): Promise<PhaseResult> {
  const options = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body,
    connections,
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
  let peakRss = before.memory.rss;
  const sampler = setInterval(() => {
    child.stats().then(
      (s) => (peakRss = Math.max(peakRss, s.memory.rss)),
      () => undefined,
    );
  }, 250);
  const result = await instance;
  clearInterval(sampler);
  const after = await child.stats();
  peakRss = Math.max(peakRss, after.memory.rss);
  await sleep(50);
  const upstreamByRoute = await upstream.call<Counters>('counters');
  process.stdout.write(' ✓\n');

  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length + result.non2xx;
  const upstreamCalls = sum(upstreamByRoute);
  return {
    name,
    target,
    connections,
    peakRssMB: mb(peakRss),
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
async function expectedBodies(
  gatewayUrl: string,
  rawUrl: string,
  query: string,
  rawPath: string,
): Promise<{ gateway: string; raw: string }> {
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
  if (res.status !== 200 || json.errors)
    fail(`batching check "${description}": ${res.status} ${res.text.slice(0, 500)}`);
  const found = Object.values(json.data ?? {}).filter((tx) => tx !== null).length;
  if (found !== ids.length) fail(`batching check "${description}": ${found} of ${ids.length} transactions found`);
  const upstreamCalls = sum(await upstream.call<Counters>('counters'));
  return {
    description,
    aliases: ids.length,
    distinctIds: new Set(ids).size,
    upstreamCalls,
    expected,
    ok: upstreamCalls === expected,
  };
}

// ---------------------------------------------------------------- report

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function ratio(a: number, b: number): number {
  return round(a / b, 2);
}

// ---------------------------------------------------------------- main

const RAW = 'raw node:http + undici';
const FULL_OFF = 'full gateway, collapsing off';
const FULL_ON = 'full gateway, collapsing on';
const RUNG_LABELS: Record<Rung, string> = {
  fastify: '+ Fastify route (no GraphQL)',
  'apollo-fastify': '+ Apollo Server (SDL schema) via Fastify',
  'type-graphql': '+ type-graphql schema',
  'apollo-http': 'side: Apollo on bare node:http (SDL schema)',
};
/** Which rung each one adds to (the Δ CPU column). */
const LEDGER_PARENT: Record<string, string> = {
  [RUNG_LABELS.fastify]: RAW,
  [RUNG_LABELS['apollo-fastify']]: RUNG_LABELS.fastify,
  [RUNG_LABELS['type-graphql']]: RUNG_LABELS['apollo-fastify'],
  [FULL_OFF]: RUNG_LABELS['type-graphql'],
  [FULL_ON]: FULL_OFF,
  [RUNG_LABELS['apollo-http']]: RUNG_LABELS['apollo-fastify'],
};
const LEDGER_SHORT: Record<string, string> = {
  [RAW]: 'raw',
  [RUNG_LABELS.fastify]: 'fastify',
  [RUNG_LABELS['apollo-fastify']]: 'apollo+fastify',
  [RUNG_LABELS['type-graphql']]: 'type-graphql',
  [FULL_OFF]: 'full, off',
};

/** The ledger as the ladder reads, bottom rung first, whatever order the phases ran in. */
function ledgerInLadderOrder(ledger: readonly PhaseResult[]): PhaseResult[] {
  const order = [
    RAW,
    ...RUNGS.map((rung) => RUNG_LABELS[rung]).filter((l) => l !== RUNG_LABELS['apollo-http']),
    FULL_OFF,
    FULL_ON,
    RUNG_LABELS['apollo-http'],
  ];
  return [...ledger].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadAverage = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadAtStart = loadAverage();
  console.log(
    `credits-gateway benchmark: ledger ${LEDGER_CONNECTIONS} connections, lookups ${CONNECTIONS}; ${WARMUP_S} s warm-up + ${DURATION_S} s per phase` +
      `${quick ? ' (--quick)' : ''}; node ${process.version}, ${os.cpus().length} CPUs; load average ${loadAtStart}`,
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
  // The gateway measured against the raw proxy runs with read collapsing off: every request makes its own call.
  const [gateway, raw] = await Promise.all([
    BenchChild.start<{ url: string }>(
      'gateway',
      'gateway-process',
      { ...env, BENCH_CACHE: 'on', BENCH_COLLAPSE: 'off' },
      undefined,
      GATEWAY_EXEC_ARGV,
    ),
    BenchChild.start<{ url: string }>('raw proxy', 'raw-proxy-process', env),
  ]);
  console.log(
    `upstream ${upstreamUrl} (pid ${upstream.pid}), gateway ${gateway.info.url} (pid ${gateway.pid}), raw proxy ${raw.info.url} (pid ${raw.pid})`,
  );

  // Batching, first, while the ids involved are not cached yet.
  const batching = [
    await batchCheck(gateway.info.url, upstream, '50 aliased distinct ids', transactionIds.slice(50, 100), 1),
    await batchCheck(gateway.info.url, upstream, 'the same 50 again (shared cache)', transactionIds.slice(50, 100), 0),
    await batchCheck(gateway.info.url, upstream, '150 aliased distinct ids', transactionIds.slice(100, 250), 2),
  ];

  const balanceQuery = BALANCE_QUERY;
  const lookupQuery = aliasedLookup(lookupIds);
  const balanceBodies = await expectedBodies(gateway.info.url, raw.info.url, balanceQuery, '/graphql');
  const lookupBodies = await expectedBodies(gateway.info.url, raw.info.url, lookupQuery, '/lookup');
  const balanceBody = graphqlBody(balanceQuery);
  const lookupBody = graphqlBody(lookupQuery);

  await gateway.call('gc');
  const gatewayIdle = await gateway.stats();
  const rawIdle = await raw.stats();

  // ------------------------------------------------------------ 3. one connection
  console.log('one connection, one request at a time (interleaved rounds):');
  const latency: ProbeResult[] = await probeLatency(
    [
      { name: 'raw proxy · balance', url: raw.info.url, path: '/graphql', body: balanceBody },
      { name: 'gateway · balance', url: gateway.info.url, path: '/graphql', body: balanceBody },
      {
        name: 'gateway · { __typename }',
        url: gateway.info.url,
        path: '/graphql',
        body: graphqlBody('{ __typename }'),
      },
    ],
    quick ? 3 : 11,
    200,
  );

  // ------------------------------------------------------------ 1. ledger
  console.log(`cost ledger (balance, ${LEDGER_CONNECTIONS} connections):`);
  const ledger: PhaseResult[] = [];
  const rungLabels = RUNG_LABELS;
  const balanceExpect = async (url: string) => (await post(`${url}/graphql`, balanceBody)).text;
  ledger.push(
    await runPhase(
      RAW,
      'raw proxy',
      raw,
      upstream,
      `${raw.info.url}/graphql`,
      balanceBody,
      balanceBodies.raw,
      LEDGER_CONNECTIONS,
    ),
  );
  // Right after the raw proxy: the ratio the acceptance reads compares two adjacent phases,
  // not two phases a minute apart on a machine whose other load drifts.
  ledger.push(
    await runPhase(
      FULL_OFF,
      'gateway',
      gateway,
      upstream,
      `${gateway.info.url}/graphql`,
      balanceBody,
      balanceBodies.gateway,
      LEDGER_CONNECTIONS,
    ),
  );
  const gatewayAfterBalance = await gateway.stats();
  const runRung = async (rung: Rung) => {
    const child = await BenchChild.start<{ url: string }>(rung, 'ladder-process', { ...env, BENCH_RUNG: rung });
    const expected = await balanceExpect(child.info.url);
    if (JSON.stringify(JSON.parse(expected)) !== JSON.stringify(JSON.parse(balanceBodies.raw)))
      fail(`${rung} disagrees with the raw proxy: ${expected}`);
    ledger.push(
      await runPhase(
        rungLabels[rung],
        rung,
        child,
        upstream,
        `${child.info.url}/graphql`,
        balanceBody,
        expected,
        LEDGER_CONNECTIONS,
      ),
    );
    await child.stop();
  };
  for (const rung of RUNGS) if (rung !== 'apollo-http') await runRung(rung);
  const collapsing = await BenchChild.start<{ url: string }>(
    'gateway (collapsing on)',
    'gateway-process',
    { ...env, BENCH_CACHE: 'on', BENCH_COLLAPSE: 'on' },
    undefined,
    GATEWAY_EXEC_ARGV,
  );
  ledger.push(
    await runPhase(
      FULL_ON,
      'gateway',
      collapsing,
      upstream,
      `${collapsing.info.url}/graphql`,
      balanceBody,
      balanceBodies.gateway,
      LEDGER_CONNECTIONS,
    ),
  );
  await collapsing.stop();
  await runRung('apollo-http');

  // ------------------------------------------------------------ 4. lookups
  console.log(`lookups (${LOOKUP_SIZE} aliased ids, ${CONNECTIONS} connections):`);
  const lookups: PhaseResult[] = [];
  lookups.push(
    await runPhase(
      `lookup ×${LOOKUP_SIZE} · raw proxy`,
      'raw proxy',
      raw,
      upstream,
      `${raw.info.url}/lookup`,
      lookupBody,
      lookupBodies.raw,
    ),
  );
  lookups.push(
    await runPhase(
      `lookup ×${LOOKUP_SIZE} · gateway, cache warm`,
      'gateway',
      gateway,
      upstream,
      `${gateway.info.url}/graphql`,
      lookupBody,
      lookupBodies.gateway,
    ),
  );
  const gatewayLoaded = await gateway.stats();
  await gateway.call('gc');
  const gatewayAfterGc = await gateway.stats();
  const rawLoaded = await raw.stats();
  await gateway.stop();
  const cold = await BenchChild.start<{ url: string }>(
    'gateway (cache off)',
    'gateway-process',
    { ...env, BENCH_CACHE: 'off', BENCH_COLLAPSE: 'off' },
    undefined,
    GATEWAY_EXEC_ARGV,
  );
  lookups.push(
    await runPhase(
      `lookup ×${LOOKUP_SIZE} · gateway, cache off`,
      'gateway',
      cold,
      upstream,
      `${cold.info.url}/graphql`,
      lookupBody,
      lookupBodies.gateway,
    ),
  );
  await cold.stop();
  const loadAtEnd = loadAverage();

  // ------------------------------------------------------------ figures
  const rawBalance = ledger[0];
  const fullOff = ledger.find((p) => p.name === FULL_OFF) ?? fail('no full gateway phase');
  const fullOn = ledger.find((p) => p.name === FULL_ON) ?? fail('no collapsing phase');
  const rawLookup = lookups[0];
  const probe = (name: string) => latency.find((r) => r.name === name) ?? fail(`no probe ${name}`);
  const summary = {
    fullOverRawRps: ratio(fullOff.rps, rawBalance.rps),
    fullOverRawCpu: ratio(fullOff.cpuUsPerRequest, rawBalance.cpuUsPerRequest),
    addedLatencyMs: round(probe('gateway · balance').meanMs - probe('raw proxy · balance').meanMs, 3),
    cachedLookupOverRawRps: ratio(lookups[1].rps, rawLookup.rps),
    cacheOffLookupOverRawRps: ratio(lookups[2].rps, rawLookup.rps),
    upstreamPerRequestCollapsingOff: fullOff.upstreamCallsPerRequest,
    upstreamPerRequestCollapsingOn: fullOn.upstreamCallsPerRequest,
  };
  const memory = {
    gatewayIdleRssMB: mb(gatewayIdle.memory.rss),
    gatewayIdleHeapUsedMB: mb(gatewayIdle.memory.heapUsed),
    gatewayPeakRssUnderLoadMB: Math.max(fullOff.peakRssMB, lookups[1].peakRssMB),
    gatewayRssAfterBalanceLoadMB: mb(gatewayAfterBalance.memory.rss),
    gatewayRssAfterLoadMB: mb(gatewayLoaded.memory.rss),
    gatewayHeapUsedAfterLoadMB: mb(gatewayLoaded.memory.heapUsed),
    gatewayHeapUsedAfterGcMB: mb(gatewayAfterGc.memory.heapUsed),
    rawProxyIdleRssMB: mb(rawIdle.memory.rss),
    rawProxyRssAfterLoadMB: mb(rawLoaded.memory.rss),
    rawProxyPeakRssUnderLoadMB: Math.max(rawBalance.peakRssMB, rawLookup.peakRssMB),
  };

  // ------------------------------------------------------------ print
  const bad = (p: PhaseResult) => p.non2xx + p.errors + p.timeouts + p.mismatches;
  console.log(
    `\ncost ledger: { creditBalance { availableCredits } }, ${LEDGER_CONNECTIONS} connections, each rung its own process`,
  );
  console.log(
    table([
      [
        'rung',
        'req/s',
        '× raw',
        'CPU µs/req',
        'Δ CPU µs',
        'over',
        'p50 ms',
        'p99 ms',
        'upstream/req',
        'peak RSS MB',
        'bad',
      ],
      ...ledgerInLadderOrder(ledger).map((p) => {
        const parent = ledger.find((q) => q.name === LEDGER_PARENT[p.name]);
        const delta = parent ? p.cpuUsPerRequest - parent.cpuUsPerRequest : null;
        return [
          p.name,
          String(p.rps),
          ratio(p.rps, rawBalance.rps).toFixed(2),
          String(p.cpuUsPerRequest),
          delta === null ? '' : `${delta >= 0 ? '+' : ''}${delta}`,
          parent ? (LEDGER_SHORT[parent.name] ?? parent.name) : '',
          p.latencyMs.p50.toFixed(2),
          p.latencyMs.p99.toFixed(2),
          p.upstreamCallsPerRequest.toFixed(2),
          p.peakRssMB.toFixed(0),
          String(bad(p)),
        ];
      }),
    ]),
  );
  console.log('\none connection, one request at a time:');
  console.log(
    table([
      ['target', 'requests', 'mean ms', 'p50 ms', 'p90 ms'],
      ...latency.map((r) => [r.name, String(r.requests), r.meanMs.toFixed(3), r.p50Ms.toFixed(3), r.p90Ms.toFixed(3)]),
    ]),
  );
  console.log(`\nlookups: ${LOOKUP_SIZE} aliased ids, ${CONNECTIONS} connections`);
  console.log(
    table([
      ['target', 'req/s', '× raw', 'CPU µs/req', 'p50 ms', 'p99 ms', 'upstream/req', 'bad'],
      ...lookups.map((p) => [
        p.name,
        String(p.rps),
        ratio(p.rps, rawLookup.rps).toFixed(2),
        String(p.cpuUsPerRequest),
        p.latencyMs.p50.toFixed(2),
        p.latencyMs.p99.toFixed(2),
        p.upstreamCallsPerRequest.toFixed(2),
        String(bad(p)),
      ]),
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
    `\ncollapsing (${LEDGER_CONNECTIONS} concurrent clients of one tenant, balance): ${summary.upstreamPerRequestCollapsingOn.toFixed(3)} upstream calls per request` +
      ` with COLLAPSE_READS on, ${summary.upstreamPerRequestCollapsingOff.toFixed(3)} with it off`,
  );
  console.log(
    `memory (gateway): RSS ${memory.gatewayIdleRssMB} MB idle, peak ${memory.gatewayPeakRssUnderLoadMB} MB under load, ${memory.gatewayRssAfterLoadMB} MB after;` +
      ` heap used ${memory.gatewayIdleHeapUsedMB} MB idle, ${memory.gatewayHeapUsedAfterLoadMB} MB after load, ${memory.gatewayHeapUsedAfterGcMB} MB after GC.` +
      ` Raw proxy RSS ${memory.rawProxyIdleRssMB} MB idle, peak ${memory.rawProxyPeakRssUnderLoadMB} MB.`,
  );
  console.log('\nacceptance figures:');
  console.log(
    table([
      ['figure', 'measured', 'target'],
      ['full gateway ÷ raw proxy, req/s (collapsing off)', summary.fullOverRawRps.toFixed(2), '≥ 0.45'],
      ['mean latency added at one connection', `${summary.addedLatencyMs.toFixed(3)} ms`, '≤ 0.5 ms'],
      [`cached ${LOOKUP_SIZE}-id lookup ÷ raw proxy, req/s`, summary.cachedLookupOverRawRps.toFixed(2), '≥ 1.0'],
      ['peak RSS under load', `${memory.gatewayPeakRssUnderLoadMB} MB`, '≤ 150 MB'],
    ]),
  );
  console.log(`load average: ${loadAtStart} at start, ${loadAtEnd} at end (1, 5, 15 min)`);

  // ------------------------------------------------------------ write
  const report = {
    date: startedAt.toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    settings: {
      connections: CONNECTIONS,
      ledgerConnections: LEDGER_CONNECTIONS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      quick,
      lookupSize: LOOKUP_SIZE,
      gatewayExecArgv: GATEWAY_EXEC_ARGV,
    },
    summary,
    ledger,
    latency,
    lookups,
    batching,
    memory,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'latest.json'))}`);

  const badPhases = [...ledger, ...lookups].filter((p) => bad(p) > 0);
  for (const p of badPhases) {
    console.error(
      `${p.name}: ${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts, ${p.mismatches} unexpected bodies`,
    );
  }
  const failedBatches = batching.filter((b) => !b.ok);
  for (const b of failedBatches)
    console.error(`batching: ${b.description} made ${b.upstreamCalls} upstream calls, expected ${b.expected}`);
  return badPhases.length + failedBatches.length > 0 ? 1 : 0;
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
