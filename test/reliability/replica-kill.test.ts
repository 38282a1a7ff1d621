/**
 * Two replica processes (the compiled gateway, `npm test` builds it) share charge state in a
 * private Redis, against a sandbox that does NOT deduplicate. One replica is killed with SIGKILL
 * mid-charge; the same key is retried on the other at once. Exactly one debit either way, and the
 * key is blocked only as long as the dead replica's lease says:
 *  - died with only a lookup in flight (sent nothing): the brief hold (~3 s), not
 *    deadline + settle + 5 s;
 *  - died with a send in flight: the send lease (attempt timeout + settle + 5 s), so no replica
 *    sends beside the pending commit.
 * A restarted replica then answers the key from the shared store at once.
 */
import { print } from 'graphql';
import { ChargeCreditsDocument } from '../../generated/graphql';
import { startSandbox, type Sandbox, type SandboxAccount } from '../../src/sandbox';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { postJson } from '../support/harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { delay, waitUntil } from '../support/time';
import { chargeInput } from './helpers';

const CHARGE = print(ChargeCreditsDocument);
const ATTEMPT_TIMEOUT_MS = 1_000;
const DEADLINE_MS = 2_000;
const SETTLE_MS = 2_000;
/** What a key stayed blocked for before this change when its replica died before sending. */
const OLD_LOCK_TTL_MS = DEADLINE_MS + SETTLE_MS + 5_000;
const SEND_LEASE_MS = ATTEMPT_TIMEOUT_MS + SETTLE_MS + 5_000;

type Answer = {
  data?: { chargeCredits: { __typename: string; transaction?: { id: string } } } | null;
  errors?: unknown[];
};

async function charge(url: string, input: ReturnType<typeof chargeInput>): Promise<Answer> {
  const res = await postJson(`${url}/graphql`, { query: CHARGE, variables: { input } });
  return JSON.parse(res.raw) as Answer;
}

describe('a replica killed mid-charge (two replica processes, shared Redis, upstream deduplication off)', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  let account: SandboxAccount;
  const processes: GatewayProcess[] = [];
  const figures: string[] = [];

  const replica = async () => {
    const p = await startGatewayProcess(
      {
        WIX_API_KEY: account.apiKey,
        WIX_ACCOUNT_ID: account.accountId,
        WIX_API_BASE_URL: sandbox.url,
        REDIS_URL: redis.url,
        WIX_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        CHARGE_SETTLE_MS: String(SETTLE_MS),
        LOG_LEVEL: 'silent',
      },
      [],
      60_000,
    ); // start-up on a saturated machine can take tens of seconds
    processes.push(p);
    await postJson(`${p.url}/graphql`, { query: '{ __typename }' }); // warm: the first request compiles a lot
    return p;
  };

  /** Retries the key on `url` until a definite answer; the time from `since` to it. */
  const retryUntilDefinite = async (url: string, input: ReturnType<typeof chargeInput>, since: number) => {
    for (;;) {
      const answer = await charge(url, input);
      const kind = answer.data?.chargeCredits.__typename;
      if (kind === 'CreditsCharged') return { answer, ms: performance.now() - since };
      expect(kind === 'ChargeOutcomeUnknown' || answer.errors !== undefined).toBe(true);
      await delay(50);
    }
  };

  const debitsOf = (key: string | number) =>
    sandbox.transactionsOf(account.accountId).filter((t) => t.idempotencyKey === String(key));

  beforeAll(async () => {
    redis = await startTestRedis();
    sandbox = await startSandbox({ deduplicate: false, historySize: 0 });
    sandbox.setDeduplication(false);
    account = sandbox.createAccount({ periodic: 0, topUp: 1_000_000 });
  });

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await sandbox?.close();
    await redis?.stop();
    if (figures.length) console.log(`replica kill figures:\n${figures.join('\n')}`);
  });

  test('died with only a lookup in flight: the other replica charges after the brief hold, one debit', async () => {
    const [a, b] = [await replica(), await replica()];
    const input = chargeInput();
    sandbox.faults.setLatency(5_000, ['query']); // A's lookup hangs: it holds the key, has sent nothing
    sandbox.counters.reset();
    void charge(a.url, input).catch(() => undefined);
    await waitUntil(() => sandbox.counters.get('query') > 0, {
      what: "A's lookup reached the upstream",
      timeoutMs: 30_000,
    });
    await a.kill();
    const killedAt = performance.now();
    sandbox.faults.setLatency(0, ['query']);
    const { answer, ms } = await retryUntilDefinite(b.url, input, killedAt);
    const debits = debitsOf(input.idempotencyKey);
    expect(debits).toHaveLength(1);
    expect(sandbox.counters.get('charge')).toBe(1);
    expect(answer.data?.chargeCredits.transaction?.id).toBe(debits[0]!.id);
    figures.push(
      `sent nothing: key blocked ${Math.round(ms)} ms after kill -9 (was >= ${OLD_LOCK_TTL_MS} ms: deadline + settle + 5 s); debits 1`,
    );
    // Before, the key stayed locked for the whole first lease; now for the brief hold at most.
    // (about 3 s of hold plus a lookup; the old lock would keep it ~9 s: 5 s of headroom for load.)
    expect(ms).toBeLessThan(OLD_LOCK_TTL_MS - 1_000);
  }, 240_000);

  test('died with a send in flight that commits later: no replica sends beside it, one debit; a restarted replica replays at once', async () => {
    const b = processes.find((p) => p.child.exitCode === null && p.child.signalCode === null)!;
    const a = await replica();
    const input = chargeInput();
    sandbox.faults.setLatency(1_500, ['charge']); // A's send commits 1.5 s later, after A is dead
    sandbox.counters.reset();
    void charge(a.url, input).catch(() => undefined);
    await waitUntil(() => sandbox.counters.get('charge') > 0, {
      what: "A's send reached the upstream",
      timeoutMs: 30_000,
    });
    await a.kill();
    const killedAt = performance.now();
    const { answer, ms } = await retryUntilDefinite(b.url, input, killedAt);
    const debits = debitsOf(input.idempotencyKey);
    expect(debits).toHaveLength(1);
    expect(sandbox.counters.get('charge')).toBe(1); // B never sent: it found A's late commit
    expect(answer.data?.chargeCredits.transaction?.id).toBe(debits[0]!.id);
    // The key stays with A's send lease until the send can no longer commit.
    expect(ms).toBeGreaterThanOrEqual(SETTLE_MS);

    sandbox.faults.setLatency(0, ['charge']);
    const restarted = await replica();
    const started = performance.now();
    const replay = await charge(restarted.url, input);
    const replayMs = performance.now() - started;
    expect(replay).toMatchObject({
      data: { chargeCredits: { __typename: 'CreditsCharged', transaction: { id: debits[0]!.id } } },
    });
    expect(sandbox.counters.get('charge')).toBe(1);
    figures.push(
      `sent (commit 1.5 s after the send): key blocked ${Math.round(ms)} ms after kill -9 (send lease ${SEND_LEASE_MS} ms); debits 1, sends 1`,
      `restarted replica: replayed the recorded outcome in ${Math.round(replayMs)} ms (start-up settle window ${SETTLE_MS} ms)`,
    );
  }, 240_000);
});
