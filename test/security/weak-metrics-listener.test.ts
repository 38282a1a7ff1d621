/**
 * Weak spot: /metrics (traffic, error rates, breaker state) was served on the public port. Now
 * it is only on a separate listener, METRICS_PORT on METRICS_HOST (127.0.0.1 by default); the
 * public port answers 404.
 */
import { request } from 'undici';
import { loadConfig } from '../../src/config';
import { startHarness, type Harness } from '../support/harness';

describe('/metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { metricsPort: 0, metricsHost: '127.0.0.1' } });
  });
  afterAll(() => h.close());

  it('is not served on the public port', async () => {
    const res = await request(`${h.url}/metrics`);
    await res.body.dump();
    expect(res.statusCode).toBe(404);
  });

  it('is served on its own listener, on loopback', async () => {
    await h.graphql('{ creditBalance { availableCredits } }');
    expect(h.gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(h.gateway.metricsUrl).not.toContain(new URL(h.url).port + '/');
    const res = await request(h.gateway.metricsUrl!);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toContain('gateway_http_request_duration_seconds_bucket');
  });

  it('listens on 127.0.0.1 by default, and only when METRICS_PORT is set', () => {
    expect(loadConfig({ METRICS_PORT: '9464' })).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1' });
    expect(loadConfig({}).metricsPort).toBeNull();
  });
});
