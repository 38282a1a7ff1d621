/**
 * Closing an ioredis client without leaving anything behind. QUIT lets the server finish what
 * was sent; when the connection is not up (connecting, reconnecting after the server died) QUIT
 * would be refused, so the client is dropped at once. `disconnect()` of a socket that is already
 * closed arms a timer of `disconnectTimeout` ms (2 s by default) that keeps a process (or a jest
 * worker) alive: clients built with REDIS_CLIENT_CLOSE_OPTIONS keep it short.
 */
import type Redis from 'ioredis';

export const REDIS_CLIENT_CLOSE_OPTIONS = { disconnectTimeout: 100 } as const;

export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // QUIT unanswered (command timeout, connection lost meanwhile): drop the connection.
    }
  }
  redis.disconnect();
}
