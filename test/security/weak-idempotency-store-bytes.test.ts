/**
 * Weak spot: the in-memory idempotency store was bounded by entries only (100,000), and a record
 * carries the charge's metadata (up to 8 KiB): about 1.6 GB in the worst case. It is now also
 * bounded by the bytes it retains (IDEMPOTENCY_STORE_MAX_BYTES, 32 MiB by default).
 */
import { MemoryIdempotencyStore } from '../../src/charges/idempotency-store';
import { loadConfig } from '../../src/config';
import { startHarness, type Harness } from '../support/harness';

const CHARGE = 'mutation C($input: ChargeCreditsInput!) { chargeCredits(input: $input) { __typename } }';
const MAX_BYTES = 64 * 1024;
const key = (n: number) => `9a1b2c3d-4e5f-4a6b-8c7d-${String(n).padStart(12, '0')}`;

describe('idempotency record store', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { idempotencyStoreMaxBytes: MAX_BYTES } });
  });
  afterAll(() => h.close());

  it('defaults to 32 MiB', () => {
    expect(loadConfig({}).idempotencyStoreMaxBytes).toBe(32 * 1024 * 1024);
  });

  it('holds no more than its byte bound however many charges with large metadata arrive', async () => {
    const store = h.gateway.chargeStore;
    expect(store).toBeInstanceOf(MemoryIdempotencyStore);
    const metadata = { note: 'm'.repeat(7_000) };
    for (let i = 0; i < 30; i += 1) {
      const res = await h.graphql(CHARGE, { input: { credits: 0.5, idempotencyKey: key(i), metadata } });
      expect(res.body.data).toEqual({ chargeCredits: { __typename: 'CreditsCharged' } });
    }
    const retained = (store as MemoryIdempotencyStore).retainedBytes;
    expect(retained).toBeGreaterThan(0);
    expect(retained).toBeLessThanOrEqual(MAX_BYTES);
  });
});
