/**
 * Development aid: `node dist/bench/profile-main.js <dir> [seconds] [query]` loads the gateway with
 * 50 connections of one query (or `lookup`: the bench's 20 aliased lookups) and writes its V8 CPU
 * profile into <dir>.
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { BenchChild, stopAll } from './ipc';
import { aliasedLookup, BALANCE_QUERY } from './queries';
import { gatewayFlags } from './start-flags';
import type { UpstreamInfo } from './upstream-process';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '/tmp/prof');
  const seconds = Number(process.argv[3] ?? 8);
  const upstream = await BenchChild.start<UpstreamInfo>('upstream', 'upstream-process', {});
  // 'lookup': the bench's 20 aliased lookups of seeded transactions.
  const lookupIds = upstream.info.transactionIds.slice(0, 20);
  const query = process.argv[4] === 'lookup' ? aliasedLookup(lookupIds) : (process.argv[4] ?? BALANCE_QUERY);
  const gateway = await BenchChild.start<{ url: string }>(
    'gateway',
    'gateway-process',
    {
      BENCH_UPSTREAM_URL: upstream.info.url,
      BENCH_API_KEY: upstream.info.apiKey,
      BENCH_ACCOUNT_ID: upstream.info.accountId,
      NODE_ENV: 'production',
      BENCH_CACHE: 'on',
      BENCH_COLLAPSE: process.env.BENCH_COLLAPSE ?? 'off',
    },
    undefined,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      ...gatewayFlags(),
      ...(process.env.PROFILE_ARGV ?? '').split(' ').filter(Boolean),
    ],
  );
  const options = {
    url: `${gateway.info.url}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    connections: 50,
  };
  await autocannon({ ...options, duration: 2 });
  const before = await gateway.stats();
  const result = await autocannon({ ...options, duration: seconds });
  const after = await gateway.stats();
  const cpu = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  console.log(
    `${result.requests.total} requests, ${Math.round(result.requests.average)} req/s, ${Math.round(cpu / result.requests.total)} µs CPU/req, non2xx ${result.non2xx}, rss ${Math.round(after.memory.rss / 1048576)} MB`,
  );
}
main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => void stopAll());
