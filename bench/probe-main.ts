/** Development aid: `node dist/bench/probe-main.js` runs only the one-connection latency probe. */
import { BenchChild, stopAll } from './ipc';
import { BALANCE_QUERY } from './queries';
import { gatewayFlags } from './start-flags';
import { probeLatency } from './latency-probe';
import type { UpstreamInfo } from './upstream-process';

async function main(): Promise<void> {
  const upstream = await BenchChild.start<UpstreamInfo>('upstream', 'upstream-process', {});
  const env = {
    BENCH_UPSTREAM_URL: upstream.info.url,
    BENCH_API_KEY: upstream.info.apiKey,
    BENCH_ACCOUNT_ID: upstream.info.accountId,
    BENCH_LOOKUP_IDS: upstream.info.transactionIds.slice(0, 20).join(','),
    NODE_ENV: 'production',
  };
  const extra = [...gatewayFlags(), ...(process.env.PROBE_GATEWAY_ARGV ?? '').split(' ').filter(Boolean)];
  const [gateway, raw] = await Promise.all([
    BenchChild.start<{ url: string }>('gateway', 'gateway-process', { ...env, BENCH_CACHE: 'on' }, undefined, extra),
    BenchChild.start<{ url: string }>('raw proxy', 'raw-proxy-process', env),
  ]);
  const balance = JSON.stringify({ query: BALANCE_QUERY });
  const results = await probeLatency(
    [
      { name: 'raw proxy balance', url: raw.info.url, path: '/graphql', body: balance },
      { name: 'gateway balance', url: gateway.info.url, path: '/graphql', body: balance },
      {
        name: 'gateway __typename',
        url: gateway.info.url,
        path: '/graphql',
        body: JSON.stringify({ query: '{ __typename }' }),
      },
    ],
    Number(process.env.PROBE_ROUNDS ?? 11),
  );
  for (const r of results)
    console.log(
      `${r.name.padEnd(22)} mean ${r.meanMs.toFixed(3)} p50 ${r.p50Ms.toFixed(3)} p90 ${r.p90Ms.toFixed(3)} ms (${r.requests})`,
    );
}
main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => void stopAll());
