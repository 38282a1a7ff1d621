/**
 * Deterministic demo data: the documented demo account, a second tenant for isolation tests,
 * and seeded history. Historic transactions lie in the 90 days before today's UTC midnight,
 * so the data is identical for every run on the same day and never collides with new charges.
 */
import type { HistoricTransaction, Ledger } from './ledger';
import { Prng } from './prng';
import type { SandboxAccount } from './types';

/** Fixed, documented demo credentials (printed by main.ts). */
export const DEMO_ACCOUNT: Readonly<SandboxAccount> = Object.freeze({
  apiKey: 'sandbox-demo-api-key',
  accountId: '0d3e5a52-7c1b-4f0e-9a26-3b8f4c6d2e10',
  siteId: '8a1f2b3c-4d5e-4f60-8172-93a4b5c6d7e8',
});
export const DEMO_SUBSCRIPTION_ID = 'c4a7e1d2-5b6f-4a3c-8d9e-0f1a2b3c4d5e';

export const OTHER_ACCOUNT: Readonly<SandboxAccount> = Object.freeze({
  apiKey: 'sandbox-other-api-key',
  accountId: '7b2c9d4e-1f3a-4b5c-8d6e-9f0a1b2c3d4e',
  siteId: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9',
});
export const OTHER_SUBSCRIPTION_ID = '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
export const OTHER_HISTORY_SIZE = 60;

/** Apps that "charged" in the seeded history. */
export const SEED_CALLER_APP_IDS: readonly string[] = [
  '11111111-2222-4333-8444-555555555555',
  'aaaaaaaa-bbbb-4ccc-9ddd-eeeeeeeeeeee',
  '3c9d1e2f-4a5b-4c6d-ae7f-8091a2b3c4d5',
];

const DESCRIPTIONS = ['Image generation', 'Text completion', 'Translation', 'Speech to text', 'Background removal'];
const FEATURES = ['image', 'text', 'translate', 'speech', 'background'];
const CREDIT_CHOICES = ['0.1', '0.5', '1', '2.5', '3', '10', '0.25'];
const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** Seeded history ending before today's UTC midnight, ascending; every 25th shares its predecessor's time (ties exercise id tie-breaking). */
export function generateHistory(count: number, seed: number, nowMs: number): HistoricTransaction[] {
  const prng = new Prng(seed);
  const end = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const start = end - HISTORY_DAYS * DAY_MS;
  const externalRefIds = Array.from({ length: 20 }, () => prng.guid());
  const times = Array.from({ length: count }, () => start + prng.int(HISTORY_DAYS * DAY_MS));
  times.sort((a, b) => a - b);
  for (let i = 25; i < count; i += 25) times[i] = times[i - 1];
  return times.map((createdMs) => {
    const kind = prng.int(DESCRIPTIONS.length);
    const withRef = prng.next() < 0.8;
    return {
      id: prng.guid(),
      createdMs,
      credits: prng.pick(CREDIT_CHOICES),
      callerAppId: prng.pick(SEED_CALLER_APP_IDS),
      idempotencyKey: prng.guid(),
      ...(withRef ? { externalRefId: prng.pick(externalRefIds) } : {}),
      description: DESCRIPTIONS[kind],
      metadata: { feature: FEATURES[kind] },
    };
  });
}

export function seedHistory(ledger: Ledger, accountId: string, count: number, seed: number, nowMs: number): void {
  for (const h of generateHistory(count, seed, nowMs)) ledger.addHistoric(accountId, h);
}

export interface SeedOptions {
  historySize: number;
  seed: number;
  nowMs: number;
}

export function seedDemoAccounts(ledger: Ledger, opts: SeedOptions): void {
  ledger.addAccount({
    ...DEMO_ACCOUNT,
    subscriptionId: DEMO_SUBSCRIPTION_ID,
    periodic: 250,
    periodicCap: 250,
    topUp: 40,
  });
  seedHistory(ledger, DEMO_ACCOUNT.accountId, opts.historySize, opts.seed, opts.nowMs);
  ledger.addAccount({
    ...OTHER_ACCOUNT,
    subscriptionId: OTHER_SUBSCRIPTION_ID,
    periodic: 100,
    periodicCap: 100,
    topUp: 0,
  });
  seedHistory(ledger, OTHER_ACCOUNT.accountId, OTHER_HISTORY_SIZE, opts.seed + 1, opts.nowMs);
}
