/**
 * One connection, one request at a time: the latency each target adds, without queueing.
 * Targets are measured in interleaved rounds (a, b, c, a, b, c, …) so a burst of load from other
 * processes on the machine hits all of them alike. Returns mean and median per target.
 */
import { Client } from 'undici';

export interface ProbeTarget {
  name: string;
  url: string;
  path: string;
  body: string;
}

export interface ProbeResult {
  name: string;
  requests: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
}

async function once(client: Client, target: ProbeTarget): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await client.request({
    method: 'POST',
    path: target.path,
    headers: { 'content-type': 'application/json' },
    body: target.body,
  });
  await res.body.text();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.statusCode !== 200) throw new Error(`${target.name} answered ${res.statusCode}`);
  return elapsed;
}

/** `rounds` rounds of `perRound` sequential requests to each target; the first round is a warm-up. */
export async function probeLatency(
  targets: readonly ProbeTarget[],
  rounds = 11,
  perRound = 200,
): Promise<ProbeResult[]> {
  const clients = targets.map((t) => new Client(t.url, { pipelining: 1, keepAliveTimeout: 60_000 }));
  const samples: number[][] = targets.map(() => []);
  try {
    for (let round = 0; round < rounds; round++) {
      for (let t = 0; t < targets.length; t++) {
        for (let i = 0; i < perRound; i++) {
          const ms = await once(clients[t], targets[t]);
          if (round > 0) samples[t].push(ms);
        }
      }
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return targets.map((target, t) => {
    const sorted = Float64Array.from(samples[t]).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
    return { name: target.name, requests: sorted.length, meanMs: mean, p50Ms: at(0.5), p90Ms: at(0.9) };
  });
}
