/**
 * The compiled gateway (`dist/src/main.js`, built by `npm test` before jest runs) in a child
 * process: for tests whose subject could block a process's event loop, so a frozen gateway
 * makes the test fail on its own timers instead of freezing the test too.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const GATEWAY_ENTRY = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** Resolves with the gateway's base URL once its start-up line appears (stderr; a JSON log line on stdout in production). */
export function waitForUrl(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no start-up line within ${timeoutMs / 1000} s:\n${out}`)),
      timeoutMs,
    );
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)\/graphql/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

export interface GatewayProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** SIGKILL: a gateway whose event loop is blocked would never act on SIGTERM. */
  kill(): Promise<void>;
}

/** Starts the compiled gateway on 127.0.0.1:0 with `env` (besides PATH, HOST, PORT, LOG_LEVEL). */
export async function startGatewayProcess(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  startTimeoutMs = 60_000,
): Promise<GatewayProcess> {
  if (!existsSync(GATEWAY_ENTRY)) throw new Error(`${GATEWAY_ENTRY} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...nodeArgs, GATEWAY_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    return { url: await waitForUrl(child, startTimeoutMs), child, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}
