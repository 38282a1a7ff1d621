/**
 * The sandbox's side of the Wix contract: replayed in their recorded order against a fresh
 * sandbox, the recorded requests in test/fixtures/wix/ get the recorded answers — status,
 * Retry-After and body, field for field. Values of one recording (ids, dates, cursors) are held
 * to their shape and to consistency: the id the charge returned must be the id its replay, the
 * 409 and the later get name, and a recorded cursor sent back is the cursor the sandbox gave.
 */
import { startSandbox, type Sandbox, type SandboxAccount } from '../../src/sandbox';
import { allWixExchanges, wixExchange, type WixExchange } from '../support/wix-fixtures';
import { call, makeAgent } from './helpers';

/** The order of the recording: later exchanges depend on the ledger state earlier ones left. */
const RECORDED_ORDER = [
  'balance.ok',
  'charge.ok',
  'charge.replayed',
  'charge.idempotency-key-reused',
  'charge.insufficient-credits',
  'charge.invalid',
  'get.ok',
  'get.not-found',
  'charge.no-cost',
  'charge.periodic-then-top-up',
  'query.by-ids',
  'query.first-page',
  'query.next-page',
  'error.unauthenticated',
  'error.forbidden',
  'error.too-many-requests',
  'error.unavailable',
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
/** Fields whose values belong to one recording, and the shape any recording's value has. */
const RECORDING_VALUES: Record<string, RegExp> = {
  id: GUID,
  creditTransactionId: GUID,
  subscriptionId: GUID,
  createdDate: ISO_DATE,
  updatedDate: ISO_DATE,
  resetDate: ISO_DATE,
  next: /^\S+$/,
  prev: /^\S+$/,
};

/** Recorded value → this run's value, for the recording's own values. */
type Substitutions = Map<string, string>;

function expectMatches(recorded: unknown, actual: unknown, seen: Substitutions, path: string): void {
  if (Array.isArray(recorded)) {
    expect({ path, length: Array.isArray(actual) ? actual.length : actual }).toEqual({ path, length: recorded.length });
    recorded.forEach((item, i) => expectMatches(item, (actual as unknown[])[i], seen, `${path}[${i}]`));
    return;
  }
  if (typeof recorded === 'object' && recorded !== null) {
    expect({ path, keys: Object.keys((actual ?? {}) as object).sort() }).toEqual({
      path,
      keys: Object.keys(recorded).sort(),
    });
    for (const [key, value] of Object.entries(recorded)) {
      const actualValue = (actual as Record<string, unknown>)[key];
      const shape = RECORDING_VALUES[key];
      if (shape && typeof value === 'string') {
        expect({ path: `${path}.${key}`, value: actualValue }).toEqual({
          path: `${path}.${key}`,
          value: expect.stringMatching(shape),
        });
        const known = seen.get(value);
        if (known === undefined) seen.set(value, actualValue as string);
        else expect({ path: `${path}.${key}`, value: actualValue }).toEqual({ path: `${path}.${key}`, value: known });
      } else {
        expectMatches(value, actualValue, seen, `${path}.${key}`);
      }
    }
    return;
  }
  expect({ path, value: actual }).toEqual({ path, value: recorded });
}

/** The recorded request with this run's values in place of the recording's. */
function substitute<T>(value: T, seen: Substitutions): T {
  let text = JSON.stringify(value);
  for (const [recorded, actual] of seen) text = text.split(recorded).join(actual);
  return JSON.parse(text) as T;
}

describe('the sandbox answers the recorded Wix exchanges', () => {
  const agent = makeAgent();
  let sandbox: Sandbox;
  let account: SandboxAccount;
  const seen: Substitutions = new Map();

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, historySize: 0 });
    account = sandbox.createAccount({ periodic: 250, periodicCap: 250, topUp: 40 });
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });

  const headersFor = (exchange: WixExchange): Record<string, string> => {
    if (exchange.credentials === 'wrongKey') return { authorization: 'wrong-key' };
    if (exchange.credentials === 'otherAccount') return { 'wix-account-id': sandbox.other.accountId };
    return {};
  };

  test.each(RECORDED_ORDER)('%s', async (name) => {
    const exchange = wixExchange(name);
    if (exchange.sandboxFault) sandbox.faults.add({ ...exchange.sandboxFault, times: 1 });
    const request = substitute(exchange.request, seen);
    const answer = await call(agent, sandbox.url, account, request.path, {
      method: request.method,
      ...(request.method === 'POST' ? { body: request.body } : {}),
      headers: headersFor(exchange),
    });
    expect(answer.status).toBe(exchange.response.status);
    if (exchange.response.headers['retry-after'] !== undefined)
      expect(answer.headers['retry-after']).toBe(exchange.response.headers['retry-after']);
    expectMatches(exchange.response.body, answer.json ?? null, seen, 'body');
  });

  test('every fixture the sandbox can produce is replayed above', () => {
    const producible = allWixExchanges()
      .filter((e) => !e.clientOnly)
      .map((e) => e.name);
    expect(producible.sort()).toEqual([...RECORDED_ORDER].sort());
  });
});
