/**
 * Shared pieces of the reliability suites: a harness whose sandbox does NOT deduplicate (the
 * gateway alone must keep charges single), charge inputs, and small timing/concurrency tools.
 */
import { randomUUID } from 'node:crypto';
import { createGateway, type Gateway } from '../../src/gateway';
import { startHarness, testConfig, type Harness, type HarnessOptions } from '../support/harness';
import type { ChargeCreditsInput } from '../../generated/graphql';
import type { SandboxAccount } from '../../src/sandbox';

export interface ReliabilityRig extends Harness {
  account: SandboxAccount;
}

/**
 * Sandbox + gateway over loopback, deduplication off, the gateway holding the credentials of a
 * fresh account with a large top-up balance.
 */
export async function startRig(
  options: Omit<HarnessOptions, 'credentials'> & { balance?: number } = {},
): Promise<ReliabilityRig> {
  let account: SandboxAccount | undefined;
  const harness = await startHarness({
    ...options,
    sandbox: { historySize: 0, ...options.sandbox, deduplicate: false },
    credentials: (sandbox) => {
      account = sandbox.createAccount({ periodic: 0, topUp: options.balance ?? 1_000_000 });
      return account;
    },
  });
  harness.sandbox.setDeduplication(false);
  if (!account) throw new Error('no account');
  return Object.assign(harness, { account });
}

export function chargeInput(overrides: Partial<ChargeCreditsInput> = {}): ChargeCreditsInput {
  return {
    credits: 2.5,
    cost: { amount: '0.125', currencyCode: 'USD' },
    description: 'Image generation',
    externalRefId: randomUUID(),
    metadata: { feature: 'image', tags: ['a', 'b'] },
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
export async function withConcurrency<T>(
  limit: number,
  count: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

// Kept importable from here for the suites that already do; defined once in support/time.
export { delay, timed } from '../support/time';

/** Counts of active handles by type (timers, sockets, ...), for leak checks. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Replicas {
  rig: ReliabilityRig;
  other: Gateway;
  urls: string[];
  close(): Promise<void>;
}

/** Two gateways over one sandbox account sharing a Redis: the rig's and another. */
export async function startReplicas(redisUrl: string, config: Parameters<typeof testConfig>[0]): Promise<Replicas> {
  const rig = await startRig({
    config: { ...config, redisUrl },
    chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
  });
  const other = await createGateway({
    config: testConfig({ ...config, redisUrl, wixBaseUrl: rig.sandbox.url }),
    credentialSource: {
      kind: 'server',
      credentials: { authorization: rig.account.apiKey, accountId: rig.account.accountId },
    },
    chargeBackoff: { initialDelayMs: 10, maxDelayMs: 50 },
    collectDefaultMetrics: false,
  });
  const urls = [rig.url, await other.listen()];
  return {
    rig,
    other,
    urls,
    async close() {
      await other.close();
      await rig.close();
    },
  };
}
