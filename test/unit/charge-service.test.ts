/** The charge service's decisions, against a scripted upstream (no network). */
import type { ChargeRequest, CreditTransaction, TransactionPage, TransactionQuery } from '../../src/domain/credits';
import { ChargeService, type ChargeCall } from '../../src/charges/charge-service';
import { MemoryIdempotencyStore } from '../../src/charges/idempotency-store';
import type { WixClient } from '../../src/wix/wix-client';
import { WixHttpError, WixTimeoutError } from '../../src/wix/wix-errors';

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
  return new WixHttpError('charge', { status, code, description: null, data: null, fieldViolations: [], requestId: null, retryAfterSeconds: null });
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

const request = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({ credits: 2, idempotencyKey: KEY, ...overrides });

const service = (client: WixClient, settleMs = 0) =>
  new ChargeService(client, { store: new MemoryIdempotencyStore(), backoff: { initialDelayMs: 1, maxDelayMs: 5 }, settleMs });

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
    const { client } = scriptedClient([null, null, mine], [new WixTimeoutError('charge', 10), httpError(428, 'INSUFFICIENT_CREDITS')]);
    await expect(service(client).charge(call(), request())).resolves.toMatchObject({ kind: 'charged', transaction: { id: mine.id } });
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
        await new Promise((r) => setTimeout(r, 20));
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
});
