/**
 * A closed Redis client leaves nothing that keeps the process alive: ioredis's per-command
 * timeout timer of a command that never resolved (its connection dropped) must not hold a jest
 * worker or a gateway process for `commandTimeout` after close.
 */
import { once } from 'node:events';
import Redis from 'ioredis';
import { closeRedis, REDIS_CLIENT_CLOSE_OPTIONS } from '../../src/common/close-redis';
import { startTestRedis, type TestRedis } from '../support/redis-server';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis?.stop());

/** Timers that keep the process alive (unref'd ones are not listed). */
const liveTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a command stranded by a dropped connection leaves no timer holding the process after close', async () => {
  const client = new Redis(redis.url, {
    commandTimeout: 60_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...REDIS_CLIENT_CLOSE_OPTIONS,
  });
  client.on('error', () => undefined);
  await once(client, 'ready');
  const before = liveTimers();
  const stranded = client.blpop('credits-gateway:test:stranded', 0).catch(() => 'rejected'); // blocks until dropped
  client.disconnect();
  await expect(stranded).resolves.toBe('rejected');
  await closeRedis(client);
  expect(liveTimers()).toBeLessThanOrEqual(before);
});
