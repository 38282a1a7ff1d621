/**
 * Weak spot: a caller's x-request-id was trusted as the id our logs and errors carry. Now our own
 * UUID is that id (returned in the x-request-id response header, logged as `requestId`), and the
 * caller's id is only a sanitized, capped `clientRequestId` beside it.
 */
import type { Harness } from '../support/harness';
import { startLoggedHarness, type LogCapture } from './log-capture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OVER_LIMIT = '{ creditTransactions(first: 500) { nodes { id } } }';

describe('request ids', () => {
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    ({ h, logs } = await startLoggedHarness());
  });
  afterAll(() => h.close());

  it('answers with our own UUID in x-request-id and on errors, whatever the caller sent', async () => {
    const res = await h.graphql(OVER_LIMIT, undefined, { headers: { 'x-request-id': 'abc-123' } });
    const ours = res.headers['x-request-id'];
    expect(ours).toMatch(UUID);
    expect(res.body.errors?.[0]?.extensions?.requestId).toBe(ours);
  });

  it('logs our id as requestId everywhere and the caller id only as a sanitized, capped clientRequestId', async () => {
    const hostile = `forged"} {"level":60,"msg":"pwned\n${'x'.repeat(5_000)}`;
    const res = await h.graphql(OVER_LIMIT, undefined, { headers: { 'x-request-id': hostile.replace('\n', ' ') } });
    const ours = res.headers['x-request-id'] as string;
    expect(ours).toMatch(UUID);

    const mine = logs.entries().filter((e) => e.requestId === ours);
    expect(mine.length).toBeGreaterThanOrEqual(2); // Fastify's request lines and our GraphQL error line
    expect(logs.entries().some((e) => 'reqId' in e)).toBe(false);
    const client = mine.map((e) => e.clientRequestId).filter((v) => v !== undefined);
    expect(client.length).toBeGreaterThan(0);
    for (const value of client) {
      expect(typeof value).toBe('string');
      expect((value as string).length).toBeLessThanOrEqual(128);
      expect(value).toMatch(/^[\x21-\x7e]+$/);
      expect(value).not.toMatch(/["\\]/);
    }
    expect(logs.raw().every((line) => line.length < 4_096)).toBe(true);
  });

  it('never lets a caller pick the id another request is logged under', async () => {
    const a = await h.graphql(OVER_LIMIT, undefined, { headers: { 'x-request-id': 'same-id' } });
    const b = await h.graphql(OVER_LIMIT, undefined, { headers: { 'x-request-id': 'same-id' } });
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
