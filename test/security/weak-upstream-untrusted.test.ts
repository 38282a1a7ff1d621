/**
 * Weak spot: upstream answers were trusted: a body of any size was buffered whole, and its
 * x-wix-request-id and error code went into logs verbatim. Now a body over WIX_MAX_RESPONSE_BYTES
 * (4 MiB by default) is cut off and is an upstream failure, and those strings are sanitized and
 * capped (128 and 64 characters).
 */
import { loadConfig } from '../../src/config';
import type { Harness } from '../support/harness';
import { startLoggedHarness, type LogCapture } from './log-capture';

const BALANCE = '{ creditBalance { availableCredits } }';

describe('upstream answers are untrusted', () => {
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    ({ h, logs } = await startLoggedHarness());
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.faults.clear());

  it('defaults WIX_MAX_RESPONSE_BYTES to 4 MiB', () => {
    expect(loadConfig({}).wixMaxResponseBytes).toBe(4 * 1024 * 1024);
  });

  it('cuts off a body over the bound and answers UPSTREAM_UNAVAILABLE', async () => {
    h.sandbox.faults.add({ kind: 'oversizedBody', routes: ['balance'] });
    const res = await h.graphql(BALANCE);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(res.raw.length).toBeLessThan(2_000);
  });

  it('logs an upstream request id and error code sanitized and capped', async () => {
    const before = logs.raw().length;
    h.sandbox.faults.add({ kind: 'hostileStrings', routes: ['balance'] });
    const res = await h.graphql(BALANCE);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const lines = logs.raw().slice(before);
    const entries = lines.map((l) => JSON.parse(l) as { err?: { wixRequestId?: string; code?: string } });
    const logged = entries.find((e) => e.err?.wixRequestId !== undefined);
    expect(logged).toBeDefined();
    expect(logged!.err!.wixRequestId!.length).toBeLessThanOrEqual(128);
    expect(logged!.err!.wixRequestId).not.toMatch(/["\\\s]/);
    expect(logged!.err!.code!.length).toBeLessThanOrEqual(64);
    expect(logged!.err!.code).not.toMatch(/["\\\s]/);
    for (const line of lines) expect(line.length).toBeLessThan(4_096);
  });
});
