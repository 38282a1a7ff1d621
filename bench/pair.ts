/**
 * Paired A/B of two builds: `node dist/bench/pair.js <other checkout> [balance|lookup] [seconds] [rounds]`
 * runs the other checkout's gateway (A, its built dist/) and this one's (B) at the same time, each
 * loaded by its own autocannon, and prints their CPU µs per request per round and the median
 * difference. Sequential phases on this 2-core machine move by ±20 % with whatever else runs;
 * two gateways loaded together see the same noise, so a change of 10 µs shows in every round.
 * Build both first (`npm run build` in each). Environment: PAIR_ENV_A / PAIR_ENV_B, extra
 * environment of either gateway as `NAME=value,NAME=value`.
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { BenchChild, stopAll } from './ipc';
import { aliasedLookup, BALANCE_QUERY } from './queries';
import { gatewayFlags } from './start-flags';
import type { UpstreamInfo } from './upstream-process';

const environment = (spec: string | undefined): Record<string, string> =>
  Object.fromEntries(
    (spec ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const [other, mode = 'balance', seconds = '5', rounds = '5'] = process.argv.slice(2);
  if (!other) throw new Error('usage: node dist/bench/pair.js <other checkout> [balance|lookup] [seconds] [rounds]');
  const otherGateway = path.relative(__dirname, path.resolve(other, 'dist', 'bench', 'gateway-process'));
  const upstream = await BenchChild.start<UpstreamInfo>('upstream', 'upstream-process', {});
  const ids = upstream.info.transactionIds.slice(0, 20);
  const query = mode === 'lookup' ? aliasedLookup(ids) : BALANCE_QUERY;
  const env = {
    BENCH_UPSTREAM_URL: upstream.info.url,
    BENCH_API_KEY: upstream.info.apiKey,
    BENCH_ACCOUNT_ID: upstream.info.accountId,
    NODE_ENV: 'production',
    BENCH_CACHE: 'on',
    BENCH_COLLAPSE: 'off',
  };
  const start = (name: string, module: string, extra: string | undefined) =>
    BenchChild.start<{ url: string }>(name, module, { ...env, ...environment(extra) }, undefined, gatewayFlags());
  const a = await start('A (other)', otherGateway, process.env.PAIR_ENV_A);
  const b = await start('B (this)', 'gateway-process', process.env.PAIR_ENV_B);
  // Half the bench's connections each: the two together load the machine as one phase does.
  const load = (target: BenchChild<{ url: string }>, duration: number) =>
    autocannon({
      url: `${target.info.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      connections: mode === 'lookup' ? 8 : 25,
      duration,
    });
  await Promise.all([load(a, 2), load(b, 2)]);
  const cpu: { a: number[]; b: number[] } = { a: [], b: [] };
  for (let round = 0; round < Number(rounds); round += 1) {
    const before = await Promise.all([a.stats(), b.stats()]);
    const results = await Promise.all([load(a, Number(seconds)), load(b, Number(seconds))]);
    const after = await Promise.all([a.stats(), b.stats()]);
    const perRequest = [0, 1].map((i) => {
      const used = after[i].cpu.user + after[i].cpu.system - before[i].cpu.user - before[i].cpu.system;
      if (results[i].non2xx > 0 || results[i].errors > 0) throw new Error(`${i ? 'B' : 'A'} answered errors`);
      return used / results[i].requests.total;
    });
    cpu.a.push(perRequest[0]);
    cpu.b.push(perRequest[1]);
    console.log(
      `round ${round + 1}: A ${perRequest[0].toFixed(0)} µs/req, B ${perRequest[1].toFixed(0)} µs/req, B/A ${(perRequest[1] / perRequest[0]).toFixed(3)}`,
    );
  }
  const [ma, mb] = [median(cpu.a), median(cpu.b)];
  console.log(
    `${mode}: median A ${ma.toFixed(0)}, B ${mb.toFixed(0)} µs CPU per request; B − A ${(mb - ma).toFixed(0)} µs`,
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => void stopAll());
