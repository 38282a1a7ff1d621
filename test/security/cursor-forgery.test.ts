/**
 * One tenant cannot open the breaker for all tenants with cursors. In forward mode an attacker
 * edits the upstream cursor inside a real endCursor (or replays another tenant's); an upstream
 * that answers 5xx to such cursors (the sandbox's `unknownCursorStatus: 500`) used to open the
 * shared read breaker within a few reads, and every other tenant's reads and charges then failed
 * fast. Now cursors are authenticated (HMAC over payload and tenant, no upstream call for a
 * forgery), and an authentic cursor the upstream fails on is no breaker failure either.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CursorCodec } from '../../src/reader/pagination/cursor-codec';
import { queryHash } from '../../src/reader/pagination/transaction-cursor';
import type { SandboxAccount } from '../../src/sandbox';
import { tenantKey } from '../../src/domain/upstream-call';
import { accountHeaders, startHarness, type Harness } from '../support/harness';

const CURSOR_SECRET = 'cursor-forgery-test-secret-0123456789abcdef';
const ATTACK_MS = 4_000;
const ATTACKER_CONCURRENCY = 24;
const LANES_PER_VICTIM = 3;

const HISTORY =
  'query H($after: String) { creditTransactions(first: 5, after: $after) { nodes { id } pageInfo { endCursor } } }';
const BALANCE = '{ creditBalance { availableCredits } }';
const CHARGE =
  'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename ... on CreditsCharged { transaction { id } } } }';

let h: Harness;
let attacker: SandboxAccount;
let victims: SandboxAccount[];

beforeAll(async () => {
  h = await startHarness({
    credentials: 'forward',
    config: { cursorSecret: CURSOR_SECRET },
    sandbox: { historySize: 0, unknownCursorStatus: 500 },
  });
  attacker = h.sandbox.createAccount({ topUp: 1_000, history: 30 });
  victims = [0, 1, 2].map(() => h.sandbox.createAccount({ topUp: 1_000_000, history: 30 }));
});
afterAll(() => h.close());

async function endCursorOf(account: SandboxAccount): Promise<string> {
  const res = await h.graphql<{ creditTransactions: { pageInfo: { endCursor: string } } }, Record<string, unknown>>(
    HISTORY,
    {},
    { headers: accountHeaders(account) },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.creditTransactions.pageInfo.endCursor;
}

/** The cursor with the upstream cursor inside its payload edited, the rest (any MAC) kept. */
function withEditedUpstreamCursor(cursor: string): string {
  const [body, ...rest] = cursor.split('.');
  const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { u: string };
  payload.u = `${payload.u.slice(0, -4)}AAAA`;
  return [Buffer.from(JSON.stringify(payload)).toString('base64url'), ...rest].join('.');
}

interface AttackOutcome {
  victimOk: number;
  victimTotal: number;
  victimFailures: string[];
  attackAnswers: Map<string, number>;
  attackRequests: number;
  /** Upstream queries that carried a cursor (only the attacker sends any). */
  upstreamCursorQueries: number;
}

/** The attacker sends `forgeries` for ATTACK_MS while every victim reads the balance, the first page of history and charges. */
async function attack(forgeries: string[]): Promise<AttackOutcome> {
  h.sandbox.counters.reset();
  const outcome: AttackOutcome = {
    victimOk: 0,
    victimTotal: 0,
    victimFailures: [],
    attackAnswers: new Map(),
    attackRequests: 0,
    upstreamCursorQueries: 0,
  };
  const until = performance.now() + ATTACK_MS;
  const attackerLoop = async (lane: number) => {
    for (let i = lane; performance.now() < until; i += ATTACKER_CONCURRENCY) {
      const res = await h.graphql(
        HISTORY,
        { after: forgeries[i % forgeries.length] },
        { headers: accountHeaders(attacker) },
      );
      const code = String(res.body.errors?.[0]?.extensions?.code ?? 'OK');
      outcome.attackAnswers.set(code, (outcome.attackAnswers.get(code) ?? 0) + 1);
      outcome.attackRequests++;
    }
  };
  const victimLoop = async (victim: SandboxAccount, lane: number) => {
    const headers = accountHeaders(victim);
    for (let i = lane; performance.now() < until; i++) {
      const res =
        i % 3 === 0
          ? await h.graphql(BALANCE, undefined, { headers })
          : i % 3 === 1
            ? await h.graphql(HISTORY, {}, { headers })
            : await h.graphql(CHARGE, { input: { credits: 1, idempotencyKey: randomUUID() } }, { headers });
      const charged =
        i % 3 !== 2 ||
        (res.body.data as { chargeCredits?: { __typename: string } } | undefined)?.chargeCredits?.__typename ===
          'CreditsCharged';
      outcome.victimTotal++;
      if (res.status === 200 && !res.body.errors && charged) outcome.victimOk++;
      else if (outcome.victimFailures.length < 5) outcome.victimFailures.push(res.raw.slice(0, 300));
    }
  };
  await Promise.all([
    ...Array.from({ length: ATTACKER_CONCURRENCY }, (_, lane) => attackerLoop(lane)),
    ...victims.flatMap((victim) => Array.from({ length: LANES_PER_VICTIM }, (_, lane) => victimLoop(victim, lane))),
  ]);
  outcome.upstreamCursorQueries = h.sandbox.requests.filter(
    (r) => r.route === 'query' && r.body.includes('"cursor"'),
  ).length;
  return outcome;
}

function report(name: string, o: AttackOutcome): void {
  const rate = ((100 * o.victimOk) / o.victimTotal).toFixed(2);
  // The closing note quotes these numbers.
  process.stdout.write(
    `${name}: other tenants ${o.victimOk}/${o.victimTotal} ok (${rate} %); attacker ${o.attackRequests} requests ${JSON.stringify(Object.fromEntries(o.attackAnswers))}; upstream cursor queries ${o.upstreamCursorQueries}\n`,
  );
}

it('refuses edited and foreign cursors with BAD_USER_INPUT and no upstream call, while other tenants keep ≥ 99 % success', async () => {
  const own = await endCursorOf(attacker);
  const foreign = await endCursorOf(victims[0]!);
  const forgeries = [withEditedUpstreamCursor(own), foreign, withEditedUpstreamCursor(foreign)];
  const o = await attack(forgeries);
  report('forged cursors', o);
  expect(o.victimFailures).toEqual([]);
  expect(o.victimOk / o.victimTotal).toBeGreaterThanOrEqual(0.99);
  expect([...o.attackAnswers.keys()]).toEqual(['BAD_USER_INPUT']);
  expect(o.attackRequests).toBeGreaterThan(0);
  expect(o.upstreamCursorQueries).toBe(0);
});

it('does not count upstream failures on an authentic caller-supplied cursor against other tenants (no breaker opens)', async () => {
  // Signed with the gateway's own key: what an expired upstream cursor looks like when the
  // upstream answers it with 5xx. The attacker gets UPSTREAM_UNAVAILABLE; nobody else notices.
  const tenant = tenantKey({ authorization: attacker.apiKey, accountId: attacker.accountId });
  const codec = new CursorCodec(CURSOR_SECRET);
  const forgeries = ['stale-1', 'stale-2'].map((upstream) =>
    codec.encode({ upstream, skip: 0 }, { tenant, query: queryHash(undefined, 'DESC') }),
  );
  const o = await attack(forgeries);
  report('authentic cursors failing upstream', o);
  expect(o.upstreamCursorQueries).toBeGreaterThan(0);
  expect([...o.attackAnswers.keys()]).toEqual(['UPSTREAM_UNAVAILABLE']);
  expect(o.victimFailures).toEqual([]);
  expect(o.victimOk / o.victimTotal).toBeGreaterThanOrEqual(0.99);
});
