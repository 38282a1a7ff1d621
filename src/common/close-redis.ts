/**
 * The lifecycle of our ioredis clients: waiting for one to connect (whenReady), and closing one
 * without leaving anything behind. QUIT lets the server finish what was sent; when the
 * connection is not up (connecting, reconnecting after the server died) QUIT would be refused,
 * so the client is dropped at once. `disconnect()` of a socket that is already closed arms a
 * timer of `disconnectTimeout` ms (2 s by default) that keeps a process (or a jest worker)
 * alive: clients built with REDIS_CLIENT_CLOSE_OPTIONS keep it short.
 *
 * ioredis also arms a timer of `commandTimeout` ms per command and clears it only when the
 * command resolves (ioredis issue 1535): a command rejected or stranded by a closing connection
 * kept the process alive that long after close() — jest's "A worker process has failed to exit
 * gracefully" after the Redis suites. Those timers are unref'd here (once, for every client of
 * this process): while a command is in flight its socket keeps the process alive anyway.
 */
import { Command, type Redis } from 'ioredis';

interface TimedCommand {
  _commandTimeoutTimer?: NodeJS.Timeout;
}

const UNREF_MARK = Symbol.for('credits-gateway.ioredis-unref-command-timeouts');

function unrefCommandTimeouts(): void {
  const proto = Command.prototype as Command & { [UNREF_MARK]?: true };
  if (proto[UNREF_MARK]) return;
  const arm = proto.setTimeout;
  proto.setTimeout = function (this: Command, ms: number): void {
    arm.call(this, ms);
    (this as unknown as TimedCommand)._commandTimeoutTimer?.unref();
  };
  proto[UNREF_MARK] = true;
}

unrefCommandTimeouts();

export const REDIS_CLIENT_CLOSE_OPTIONS = { disconnectTimeout: 100 } as const;

/**
 * Resolves once the client is connected, waiting at most `timeoutMs` while it (re)connects:
 * clients without an offline queue refuse commands until then. Rejects when it is closed.
 */
export async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'end') throw new Error('connection closed');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', ready);
      reject(new Error(`not connected (${redis.status})`));
    }, timeoutMs);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ready);
  });
}

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
