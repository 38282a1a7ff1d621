/**
 * A private redis-server for tests, on a free loopback port, keeping nothing on disk. It fails
 * loudly when redis-server is missing: these tests must never skip silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { closeRedis, REDIS_CLIENT_CLOSE_OPTIONS } from '../../src/common/close-redis';
import { delay } from './time';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      ...REDIS_CLIENT_CLOSE_OPTIONS,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      await closeRedis(client);
    }
    if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 10 s');
    await delay(50);
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`cannot start ${binary} (install Debian's redis-server): ${error.message}`)),
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitForPing(url, child), spawnError]);
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
