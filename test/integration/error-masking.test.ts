/** What a client sees when the upstream fails: stable codes, and nothing of the upstream itself. */
import { randomUUID } from 'node:crypto';
import { BalanceWidgetDocument, ChargeCreditsDocument, TransactionDetailDocument } from '../../generated/graphql';
import { startHarness, type Harness } from '../support/harness';
import type { FaultKind } from '../../src/sandbox';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: { attemptTimeoutMs: 300, requestDeadlineMs: 1_500 },
    // One attempt and a breaker that never opens: each test sees the raw mapping of one fault.
    retry: { maxAttempts: 1, breakerThreshold: 1_000 },
    chargeBackoff: { initialDelayMs: 10, maxDelayMs: 20 },
  });
});
afterAll(() => h.close());
afterEach(() => h.sandbox.faults.clear());

function assertNothingLeaks(raw: string): void {
  expect(raw).not.toContain(h.sandbox.demo.apiKey);
  expect(raw).not.toContain(h.sandbox.url);
  expect(raw).not.toContain('127.0.0.1');
  expect(raw).not.toMatch(/authorization["']?\s*[:=]/i); // a header echoed back, not our own guidance
  expect(raw).not.toContain('stacktrace');
  expect(raw).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(raw).not.toContain('credittransactions/v1');
}

describe('error masking', () => {
  it.each<[FaultKind, string]>([
    ['status500', 'UPSTREAM_UNAVAILABLE'],
    ['status502', 'UPSTREAM_UNAVAILABLE'],
    ['status503', 'UPSTREAM_UNAVAILABLE'],
    ['resetBeforeCommit', 'UPSTREAM_UNAVAILABLE'],
    ['hang', 'UPSTREAM_TIMEOUT'],
  ])('maps an upstream %s on a read to %s with no upstream detail', async (kind, code) => {
    h.sandbox.faults.add({ kind });
    const res = await h.graphql(BalanceWidgetDocument, {});
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, requestId: expect.any(String) });
    assertNothingLeaks(res.raw);
  });

  it('masks a rejection of the server-held key as INTERNAL_SERVER_ERROR with the request id', async () => {
    const broken = await startHarness({ credentials: (s) => ({ ...s.demo, apiKey: 'revoked-key-123' }) });
    try {
      const res = await broken.graphql(BalanceWidgetDocument, {}, { headers: { 'x-request-id': 'trace-me-1' } });
      expect(res.body.errors?.[0]).toMatchObject({
        message: 'Internal server error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: res.headers['x-request-id'] },
      });
      expect(res.raw).not.toContain('revoked-key-123');
      assertNothingLeaks(res.raw);
    } finally {
      await broken.close();
    }
  });

  it('reports a forwarded key rejected upstream as UNAUTHENTICATED, and a foreign account as FORBIDDEN', async () => {
    const forward = await startHarness({ credentials: 'forward' });
    try {
      const bad = await forward.graphql(
        TransactionDetailDocument,
        // A GUID: an id that is not one is refused as BAD_USER_INPUT before any upstream call.
        { id: '00000000-0000-4000-8000-000000000000' },
        { headers: { authorization: 'nope-secret', 'wix-account-id': forward.sandbox.demo.accountId } },
      );
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(bad.raw).not.toContain('nope-secret');
      const foreign = await forward.graphql(
        BalanceWidgetDocument,
        {},
        { headers: { authorization: forward.sandbox.demo.apiKey, 'wix-account-id': forward.sandbox.other.accountId } },
      );
      expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const none = await forward.graphql(BalanceWidgetDocument, {});
      expect(none.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(forward.sandbox.counters.get('balance')).toBe(1);
      assertNothingLeaks(bad.raw + foreign.raw + none.raw);
    } finally {
      await forward.close();
    }
  });

  it('never leaks upstream detail from a failing charge, and says the outcome is unknown', async () => {
    h.sandbox.faults.add({ routes: ['charge'], kind: 'status500' });
    const res = await h.graphql(ChargeCreditsDocument, { input: { credits: 1, idempotencyKey: randomUUID() } });
    expect(res.body.data?.chargeCredits.__typename).toBe('ChargeOutcomeUnknown');
    assertNothingLeaks(res.raw);
  });
});
