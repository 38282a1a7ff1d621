/**
 * /readyz with REDIS_URL: charges fail closed without Redis, so a replica whose Redis does not
 * answer is not ready; the answer names which check failed.
 */
import { request } from 'undici';
import { startHarness, type Harness } from '../support/harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

async function readyz(h: Harness) {
  const res = await request(`${h.url}/readyz`);
  return {
    status: res.statusCode,
    body: (await res.body.json()) as { status: string; checks: Record<string, string> },
  };
}

describe('/readyz with REDIS_URL', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('is ready, reporting the upstream and Redis, while both answer', async () => {
    const h = await startHarness({ config: { redisUrl: redis.url } });
    try {
      expect(await readyz(h)).toEqual({
        status: 200,
        body: { status: 'ready', checks: { upstream: 'ok', redis: 'ok' } },
      });
    } finally {
      await h.close();
    }
  });

  it('answers 503 naming Redis while Redis does not answer', async () => {
    const h = await startHarness({ config: { redisUrl: 'redis://127.0.0.1:1' } });
    try {
      expect(await readyz(h)).toEqual({
        status: 503,
        body: { status: 'not ready', checks: { upstream: 'ok', redis: 'unavailable' } },
      });
    } finally {
      await h.close();
    }
  });

  it('reports only the upstream without REDIS_URL', async () => {
    const h = await startHarness();
    try {
      expect(await readyz(h)).toEqual({ status: 200, body: { status: 'ready', checks: { upstream: 'ok' } } });
    } finally {
      await h.close();
    }
  });
});
