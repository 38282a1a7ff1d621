/** The charge service's decisions, against a scripted upstream (no network). */
import type { ChargeRequest, CreditTransaction, TransactionPage, TransactionQuery } from '../../src/domain/credits';
import { ChargeService, type ChargeCall } from '../../src/charges/charge-service';
import { MemoryIdempotencyStore } from '../../src/charges/idempotency-store';
import type { WixClient } from '../../src/wix/wix-client';
import { WixHttpError, WixTimeoutError } from '../../src/wix/wix-errors';
import { delay } from '../support/time';

const KEY = '4f8b9a61-3c2d-4e5f-8a7b-1c2d3e4f5a6b';

function tx(overrides: Partial<CreditTransaction> = {}): CreditTransaction {
  return {
    id: 'tx-1',
    revision: '1',
    createdDate: new Date(),
    updatedDate: new Date(),
    amount: { credits: 2, cost: null },
    description: null,
    callerAppId: null,
    externalRefId: null,
    metadata: null,
    idempotencyKey: KEY,
    ...overrides,
  };
}

function httpError(status: number, code: string | null = null): WixHttpError {
  return new WixHttpError('charge', {
    status,
    code,
    description: null,
    data: null,
    fieldViolations: [],
    requestId: null,
    retryAfterSeconds: null,
  });
}

type Step<T> = T | Error;

/** A WixClient whose lookups and charges answer from scripts, in order (the last one repeats). */
function scriptedClient(lookups: Step<CreditTransaction | null>[], charges: Step<CreditTransaction>[]) {
  const calls = { lookups: 0, charges: 0 };
  const next = <T>(script: Step<T>[], index: number): T => {
    const step = script[Math.min(index, script.length - 1)]!;
    if (step instanceof Error) throw step;
    return step;
  };
  const client = {
    async queryTransactions(_options: unknown, _query: TransactionQuery): Promise<TransactionPage> {
      const found = next(lookups, calls.lookups++);
      return { items: found ? [found] : [], nextCursor: null, hasNext: false };
    },
    async charge(): Promise<CreditTransaction> {
      return next(charges, calls.charges++);
    },
  };
  return { client: client as unknown as WixClient, calls };
}

const call = (deadlineMs = 2_000): ChargeCall => ({
  credentials: { authorization: 'k', accountId: 'a' },
  tenant: 't',
  scope: 'account:a',
  signal: AbortSignal.timeout(deadlineMs),
});

const request = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  credits: 2,
  idempotencyKey: KEY,
  ...overrides,
});

const service = (client: WixClient, settleMs = 0) =>
  new ChargeService(client, {
    store: new MemoryIdempotencyStore(),
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    settleMs,
    startupSettleMs: 0,
  });

describe('ChargeService', () => {
  it('never passes off a transaction with another key as this charge (an upstream ignoring the filter): nothing is sent', async () => {
    const { client, calls } = scriptedClient([tx({ idempotencyKey: '00000000-0000-4000-8000-000000000000' })], [tx()]);
    await expect(service(client).charge(call(200), request())).rejects.toThrow(/another key/);
    expect(calls.charges).toBe(0);
  });

  it('recognises its own charge when the upstream omitted an empty description and empty metadata', async () => {
    const { client, calls } = scriptedClient([tx()], [tx()]);
    const outcome = await service(client).charge(call(), request({ description: '', metadata: {} }));
    expect(outcome).toMatchObject({ kind: 'charged', transaction: { id: 'tx-1' } });
    expect(calls.charges).toBe(0);
  });

  it('answers unknown, not a definite error, when the lookup after a failed send is refused', async () => {
    const { client } = scriptedClient([null, httpError(403, 'FORBIDDEN')], [httpError(503)]);
    await expect(service(client).charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
  });

  it('checks the key again before answering InsufficientCredits after a send of unknown fate', async () => {
    const mine = tx();
    // Send 1 times out (it was in fact debited); the next lookup misses it (replica lag); send 2
    // meets the lowered balance; the recheck finds the debit.
    const { client } = scriptedClient(
      [null, null, mine],
      [new WixTimeoutError('charge', 10), httpError(428, 'INSUFFICIENT_CREDITS')],
    );
    await expect(service(client).charge(call(), request())).resolves.toMatchObject({
      kind: 'charged',
      transaction: { id: mine.id },
    });
  });

  it('does not resend within the settle window after an unanswered send; answers unknown at the deadline', async () => {
    const { client, calls } = scriptedClient([null], [new WixTimeoutError('charge', 10), tx()]);
    await expect(service(client, 10_000).charge(call(300), request())).resolves.toEqual({ kind: 'unknown' });
    expect(calls.charges).toBe(1);
    expect(calls.lookups).toBeGreaterThanOrEqual(2);
  });

  it('resends the same request once the settle window has passed and the lookup still finds nothing', async () => {
    const { client, calls } = scriptedClient([null], [new WixTimeoutError('charge', 10), tx()]);
    await expect(service(client, 50).charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(calls.charges).toBe(2);
  });

  it('reports a refusal before any send (e.g. credentials rejected) as that error, without sending', async () => {
    const { client, calls } = scriptedClient([httpError(401, 'UNAUTHENTICATED')], [tx()]);
    const svc = service(client);
    await expect(svc.charge(call(), request())).rejects.toMatchObject({ status: 401 });
    expect(calls.charges).toBe(0);
  });

  it('serializes concurrent duplicates of one account presenting different tokens, sharing nothing but the upstream truth', async () => {
    let debited: CreditTransaction | null = null;
    let sends = 0;
    const client = {
      async queryTransactions(): Promise<TransactionPage> {
        return { items: debited ? [debited] : [], nextCursor: null, hasNext: false };
      },
      async charge(): Promise<CreditTransaction> {
        sends += 1;
        await delay(20);
        debited = tx({ id: `tx-${sends}` });
        return debited;
      },
    } as unknown as WixClient;
    const svc = service(client);
    const outcomes = await Promise.all([
      svc.charge({ ...call(), tenant: 'token-1' }, request()),
      svc.charge({ ...call(), tenant: 'token-2' }, request()),
    ]);
    expect(sends).toBe(1);
    expect(outcomes.map((o) => o.kind === 'charged' && o.transaction.id)).toEqual(['tx-1', 'tx-1']);
  });

  it('only lets a lookup started after the settle window license a resend (a slow lookup spanning the window does not)', async () => {
    let ledger: CreditTransaction | null = null;
    let sends = 0;
    const client = {
      async queryTransactions(): Promise<TransactionPage> {
        const seen = ledger; // the upstream reads when the lookup starts
        await delay(150);
        return { items: seen ? [seen] : [], nextCursor: null, hasNext: false };
      },
      async charge(): Promise<CreditTransaction> {
        sends += 1;
        setTimeout(() => (ledger = tx()), 50); // commits after the gateway gave up
        throw new WixTimeoutError('charge', 10);
      },
    } as unknown as WixClient;
    const outcome = await service(client, 100).charge(call(3_000), request());
    expect(sends).toBe(1);
    expect(outcome).toMatchObject({ kind: 'charged', transaction: { id: 'tx-1' } });
  });

  it('a fresh service sends nothing before its start-up settle window closes', async () => {
    const { client, calls } = scriptedClient([null], [tx()]);
    const fresh = new ChargeService(client, { store: new MemoryIdempotencyStore(), settleMs: 100 });
    const started = Date.now();
    await expect(fresh.charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(calls.lookups).toBeGreaterThanOrEqual(2); // looked again once the window closed
  });

  it('does not claim a loosely matching transaction for an input when another input was sent under the key; the exact owner gets it', async () => {
    // Input A (with a cost) is sent and its answer lost; it was committed. Input B (same key, no
    // cost, so the upstream would price it) must not be told A's transaction is its own.
    const committed = tx({
      amount: { credits: 2, cost: { amount: '9.99', currencyCode: 'USD', formattedValue: '$9.99' } },
    });
    let ledger: CreditTransaction | null = null;
    let readsFail = false;
    const client = {
      async queryTransactions(): Promise<TransactionPage> {
        if (readsFail) throw new WixTimeoutError('queryTransactions', 10);
        return { items: ledger ? [ledger] : [], nextCursor: null, hasNext: false };
      },
      async charge(): Promise<CreditTransaction> {
        ledger = committed;
        readsFail = true; // the answer is lost, and so are the lookups until A's deadline
        throw new WixTimeoutError('charge', 10);
      },
    } as unknown as WixClient;
    const svc = service(client, 0);
    const a = request({ cost: { amount: '9.99', currencyCode: 'USD' } });
    await expect(svc.charge(call(100), a)).resolves.toEqual({ kind: 'unknown' });
    readsFail = false;
    await expect(svc.charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
    await expect(svc.charge(call(), a)).resolves.toMatchObject({ kind: 'charged', transaction: { id: committed.id } });
  });

  it('keeps the outcome of one set of credentials when another token sends a different input under the key', async () => {
    const mine = tx();
    const { client } = scriptedClient([null, mine, mine, new WixTimeoutError('queryTransactions', 10)], [mine]);
    const svc = service(client, 0);
    await expect(svc.charge({ ...call(), tenant: 't1' }, request())).resolves.toMatchObject({ kind: 'charged' });
    await expect(svc.charge({ ...call(), tenant: 't2' }, request({ credits: 3 }))).resolves.toEqual({
      kind: 'keyReused',
    });
    // t1 retries during a read outage: its outcome replays from the store, untouched by t2.
    await expect(svc.charge({ ...call(), tenant: 't1' }, request())).resolves.toMatchObject({
      kind: 'charged',
      transaction: { id: mine.id },
    });
  });

  it('retries a 409 conflict that is not key reuse, and answers unknown for key reuse with nothing found under the key', async () => {
    const conflict = scriptedClient([null], [httpError(409, 'ABORTED'), tx()]);
    await expect(service(conflict.client, 0).charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(conflict.calls.charges).toBe(2);
    const reused = scriptedClient([null], [httpError(409, 'IDEMPOTENCY_KEY_REUSED')]);
    await expect(service(reused.client, 0).charge(call(), request())).resolves.toEqual({ kind: 'unknown' });
  });

  it('answers a charge whose 2xx answer records another input as IdempotencyKeyReused', async () => {
    const { client } = scriptedClient([null], [tx({ amount: { credits: 7, cost: null } })]);
    await expect(service(client, 0).charge(call(), request())).resolves.toEqual({ kind: 'keyReused' });
  });

  it('keeps a settle window open even when the idempotency store evicts the key (a flood of other charges)', async () => {
    let ledger: CreditTransaction | null = null;
    let sends = 0;
    const client = {
      async queryTransactions(_options: unknown, query: TransactionQuery): Promise<TransactionPage> {
        const hit = ledger && query.filter?.idempotencyKey === KEY ? [ledger] : [];
        return { items: hit, nextCursor: null, hasNext: false };
      },
      async charge(_options: unknown, req: ChargeRequest): Promise<CreditTransaction> {
        if (req.idempotencyKey !== KEY) throw httpError(428, 'INSUFFICIENT_CREDITS');
        sends += 1;
        setTimeout(() => (ledger = tx()), 80); // commits late
        throw new WixTimeoutError('charge', 10);
      },
    } as unknown as WixClient;
    const svc = new ChargeService(client, {
      store: new MemoryIdempotencyStore(2),
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
      settleMs: 150,
      startupSettleMs: 0,
    });
    await expect(svc.charge(call(40), request())).resolves.toEqual({ kind: 'unknown' });
    for (const key of [
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
      '33333333-3333-4333-8333-333333333333',
    ]) {
      await expect(svc.charge(call(), request({ idempotencyKey: key, credits: 1e6 }))).resolves.toMatchObject({
        kind: 'insufficient',
      });
    }
    await expect(svc.charge(call(), request())).resolves.toMatchObject({ kind: 'charged' });
    expect(sends).toBe(1);
  });

  it('sends nothing when the key lock lapsed before the send (another replica may hold it now)', async () => {
    const { client, calls } = scriptedClient([null], [tx()]);
    const released: number[] = [];
    const lock = {
      async tryAcquire() {
        return { extend: async () => false, release: async (holdMs: number) => void released.push(holdMs) };
      },
    };
    const svc = new ChargeService(client, {
      store: new MemoryIdempotencyStore(),
      settleMs: 0,
      startupSettleMs: 0,
      lock,
    });
    await expect(svc.charge(call(), request())).rejects.toThrow(/lock was lost/);
    expect(calls.charges).toBe(0);
    expect(released).toHaveLength(1);
  });
});
