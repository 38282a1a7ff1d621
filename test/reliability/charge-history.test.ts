/**
 * A Jepsen-style history: for each seed, 1,000 charges over 20 idempotency keys run through the
 * gateway (20 in flight) against a NON-deduplicating sandbox that resets connections before and
 * after committing, hangs, and answers 503 on the charge route, and fails some look-ups on the
 * query route. The history is split into phases, each served by a fresh gateway process (empty
 * idempotency store: a restart), so look-ups across restarts are exercised too. Every
 * operation's outcome is recorded and a checker compares the history with the ledger.
 */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { createGateway, type Gateway } from '../../src/gateway';
import { startSandbox, type FaultRule, type Sandbox, type SandboxAccount } from '../../src/sandbox';
import { Prng } from '../../src/sandbox/prng';
import type { WixCreditTransaction } from '../../src/wix/wix-json';
import type { ChargeCreditsInput } from '../../generated/graphql';
import { postJson, testConfig } from '../support/harness';
import { withConcurrency } from './helpers';

const SEEDS = [11, 23, 37, 41, 59];
const OPS_PER_SEED = 1_000;
const KEYS = 20;
const PHASES = 8;
/** Even phases (the first included) run with a deadline barely above one attempt's timeout, so outcomes go unknown. */
const DEADLINES_MS = [450, 1_500];
const IN_FLIGHT = 20;
/** Share of operations that send a different input under a key (must never debit twice). */
const VARIANT_SHARE = 0.05;

const FAULTS: FaultRule[] = [
  { routes: ['charge'], kind: 'resetBeforeCommit', probability: 0.15 },
  { routes: ['charge'], kind: 'resetAfterCommit', probability: 0.2 },
  { routes: ['charge'], kind: 'hang', probability: 0.1 },
  { routes: ['charge'], kind: 'status503', probability: 0.15 },
  { routes: ['query'], kind: 'status503', probability: 0.12 },
  { routes: ['query'], kind: 'resetBeforeCommit', probability: 0.05 },
  { routes: ['query'], kind: 'hang', probability: 0.04 },
];

// No `balance` field: a failed balance read must not hide a charge's outcome from the history.
const CHARGE = /* GraphQL */ `
  mutation HistoryCharge($input: ChargeCreditsInput!) {
    chargeCredits(input: $input) {
      __typename
      ... on CreditsCharged { transaction { id idempotencyKey description amount { credits } } }
    }
  }
`;

type Outcome = { kind: 'success'; txId: string } | { kind: 'failure'; reason: string } | { kind: 'unknown' };

interface Op {
  key: string;
  variant: boolean;
  outcome: Outcome;
}

/** Deterministic PRNG for the workload itself: the sandbox's seeded mulberry32. */
function prng(seed: number): () => number {
  const generator = new Prng(seed);
  return () => generator.next();
}

interface KeySpec {
  key: string;
  input: ChargeCreditsInput;
  variant: ChargeCreditsInput;
}

function keySpecs(random: () => number): KeySpec[] {
  return Array.from({ length: KEYS }, (_, i) => {
    const key = randomUUID();
    const credits = [0.5, 1, 1.25, 2.5, 3.75][i % 5] + Math.floor(random() * 4);
    const input: ChargeCreditsInput = {
      credits,
      description: `history op ${i}`,
      externalRefId: randomUUID(),
      metadata: { key: i, nested: { z: 1, a: [1, 2] } },
      idempotencyKey: key,
    };
    return { key, input, variant: { ...input, description: `history op ${i} (variant)` } };
  });
}

async function startGateway(
  sandbox: Sandbox,
  account: SandboxAccount,
  requestDeadlineMs = 1_500,
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = await createGateway({
    config: testConfig({ wixBaseUrl: sandbox.url, requestDeadlineMs, attemptTimeoutMs: 300 }),
    credentialSource: { kind: 'server', credentials: { authorization: account.apiKey, accountId: account.accountId } },
    retry: { initialDelayMs: 5, maxDelayMs: 60, halfOpenAfterMs: 200 },
    chargeBackoff: { initialDelayMs: 5, maxDelayMs: 60 },
    collectDefaultMetrics: false,
  });
  return { gateway, url: await gateway.listen() };
}

async function runCharge(url: string, input: ChargeCreditsInput): Promise<Outcome> {
  const res = await postJson(`${url}/graphql`, { query: CHARGE, variables: { input } });
  const body = JSON.parse(res.raw) as {
    data?: { chargeCredits: { __typename: string; transaction?: { id: string } } } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const result = body.data?.chargeCredits;
  if (result?.__typename === 'CreditsCharged' && result.transaction)
    return { kind: 'success', txId: result.transaction.id };
  if (result?.__typename === 'ChargeOutcomeUnknown') return { kind: 'unknown' };
  if (result) return { kind: 'failure', reason: result.__typename };
  // A top-level error: the gateway raises one only when this request sent no charge at all.
  return { kind: 'failure', reason: String(body.errors?.[0]?.extensions?.code ?? `HTTP ${res.status}`) };
}

interface Summary {
  seed: number;
  ops: number;
  successes: number;
  unknowns: number;
  failures: number;
  failureReasons: Record<string, number>;
  debits: number;
  chargeSends: number;
  querySends: number;
  violations: number;
}

/** Per key: never two debits; successes all name the one debit; all-definite-failures → no debit. */
function check(specs: KeySpec[], ops: Op[], ledger: WixCreditTransaction[], balanceDrop: Decimal): string[] {
  const violations: string[] = [];
  for (const spec of specs) {
    const keyOps = ops.filter((op) => op.key === spec.key);
    const debits = ledger.filter((tx) => tx.idempotencyKey === spec.key);
    const successes = keyOps.filter((op) => op.outcome.kind === 'success');
    if (debits.length > 1) violations.push(`${spec.key}: debited ${debits.length} times`);
    if (successes.length > 0) {
      if (debits.length !== 1)
        violations.push(`${spec.key}: ${successes.length} successes but ${debits.length} debits`);
      const ids = new Set(successes.map((op) => (op.outcome as { txId: string }).txId));
      if (debits.length === 1 && (ids.size !== 1 || !ids.has(debits[0].id)))
        violations.push(`${spec.key}: successes name ${[...ids].join(',')}, debit is ${debits[0]?.id}`);
    }
    if (keyOps.every((op) => op.outcome.kind === 'failure') && debits.length > 0)
      violations.push(`${spec.key}: only definite failures, yet debited`);
    if (debits.length === 1) {
      // The input that owns the debit never hears IdempotencyKeyReused, and the other never succeeds.
      const ownerIsVariant = debits[0].description === spec.variant.description;
      for (const op of keyOps) {
        if (
          op.variant === ownerIsVariant &&
          op.outcome.kind === 'failure' &&
          op.outcome.reason === 'IdempotencyKeyReused'
        ) {
          violations.push(`${spec.key}: the owning input was answered IdempotencyKeyReused`);
          break;
        }
        if (op.variant !== ownerIsVariant && op.outcome.kind === 'success') {
          violations.push(`${spec.key}: the non-owning input was answered CreditsCharged`);
          break;
        }
      }
    }
  }
  const sum = ledger.reduce((acc, tx) => acc.plus(tx.amount?.credits ?? 0), new Decimal(0));
  if (!sum.equals(balanceDrop))
    violations.push(`balance dropped ${balanceDrop.toString()}, debits sum to ${sum.toString()}`);
  return violations;
}

async function runSeed(
  seed: number,
): Promise<{ summary: Summary; violations: string[]; resolutionViolations: string[] }> {
  const random = prng(seed);
  const sandbox = await startSandbox({ seed, deduplicate: false, historySize: 0 });
  sandbox.setDeduplication(false);
  const account = sandbox.createAccount({ periodic: 0, topUp: 1_000_000 });
  const before = new Decimal(sandbox.balanceOf(account.accountId).available);
  const specs = keySpecs(random);
  const plan = Array.from({ length: OPS_PER_SEED }, () => {
    const spec = specs[Math.floor(random() * KEYS)];
    return { spec, variant: random() < VARIANT_SHARE };
  });
  const ops: Op[] = [];
  try {
    sandbox.faults.seed(seed);
    for (const rule of FAULTS) sandbox.faults.add(rule);
    const perPhase = Math.ceil(OPS_PER_SEED / PHASES);
    for (let phase = 0; phase < PHASES; phase++) {
      const slice = plan.slice(phase * perPhase, (phase + 1) * perPhase);
      const { gateway, url } = await startGateway(sandbox, account, DEADLINES_MS[phase % DEADLINES_MS.length]);
      try {
        const outcomes = await withConcurrency(IN_FLIGHT, slice.length, (i) =>
          runCharge(url, slice[i].variant ? slice[i].spec.variant : slice[i].spec.input),
        );
        slice.forEach((p, i) => ops.push({ key: p.spec.key, variant: p.variant, outcome: outcomes[i] }));
      } finally {
        await gateway.close();
      }
    }
    const chargeSends = sandbox.counters.get('charge');
    const querySends = sandbox.counters.get('query');
    const ledger = sandbox.transactionsOf(account.accountId);
    const after = new Decimal(sandbox.balanceOf(account.accountId).available);
    const violations = check(specs, ops, ledger, before.minus(after));

    // Resolution: faults healed, a fresh process retries every key's owning input once. Each must
    // now be definite, name the key's single debit, and leave no key debited twice.
    sandbox.faults.clear();
    const { gateway, url } = await startGateway(sandbox, account);
    const resolutionViolations: string[] = [];
    try {
      const resolved = await withConcurrency(IN_FLIGHT, specs.length, async (i) => {
        const debit = ledger.find((tx) => tx.idempotencyKey === specs[i].key);
        const owner = debit?.description === specs[i].variant.description ? specs[i].variant : specs[i].input;
        return { spec: specs[i], outcome: await runCharge(url, owner), debit };
      });
      const finalLedger = sandbox.transactionsOf(account.accountId);
      for (const { spec, outcome, debit } of resolved) {
        const debits = finalLedger.filter((tx) => tx.idempotencyKey === spec.key);
        if (outcome.kind !== 'success')
          resolutionViolations.push(`${spec.key}: resolution answered ${JSON.stringify(outcome)}`);
        else if (debits.length !== 1 || outcome.txId !== debits[0].id)
          resolutionViolations.push(`${spec.key}: resolution names ${outcome.txId}, debits ${debits.length}`);
        else if (debit && debit.id !== outcome.txId)
          resolutionViolations.push(`${spec.key}: resolution found another debit`);
      }
      const finalDrop = before.minus(new Decimal(sandbox.balanceOf(account.accountId).available));
      const sum = finalLedger.reduce((acc, tx) => acc.plus(tx.amount?.credits ?? 0), new Decimal(0));
      if (!sum.equals(finalDrop))
        resolutionViolations.push(`final balance drop ${finalDrop.toString()} != debits ${sum.toString()}`);
    } finally {
      await gateway.close();
    }

    const count = (kind: Outcome['kind']) => ops.filter((op) => op.outcome.kind === kind).length;
    return {
      summary: {
        seed,
        ops: ops.length,
        successes: count('success'),
        unknowns: count('unknown'),
        failures: count('failure'),
        failureReasons: ops.reduce<Record<string, number>>((acc, op) => {
          if (op.outcome.kind === 'failure') acc[op.outcome.reason] = (acc[op.outcome.reason] ?? 0) + 1;
          return acc;
        }, {}),
        debits: ledger.length,
        chargeSends,
        querySends,
        violations: violations.length,
      },
      violations,
      resolutionViolations,
    };
  } finally {
    await sandbox.close();
  }
}

describe('charge history under faults (Jepsen-style), upstream deduplication off', () => {
  const summaries: Summary[] = [];
  afterAll(() => {
    if (summaries.length)
      console.log(`charge history per seed:\n${summaries.map((s) => JSON.stringify(s)).join('\n')}`);
  });

  test.each(SEEDS)(
    'seed %i: 1,000 charges over 20 keys, no key debited twice, every success names its debit, balance matches debits',
    async (seed) => {
      const { summary, violations, resolutionViolations } = await runSeed(seed);
      summaries.push(summary);
      expect(violations).toEqual([]);
      expect(resolutionViolations).toEqual([]);
      expect(summary.ops).toBe(OPS_PER_SEED);
      // The faults did bite and most operations still succeeded.
      expect(summary.successes).toBeGreaterThan(OPS_PER_SEED * 0.5);
      expect(summary.debits).toBeLessThanOrEqual(KEYS);
    },
    // 1,000 charges under faults: seconds when idle, minutes on a saturated machine.
    300_000,
  );
});
