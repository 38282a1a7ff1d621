/**
 * A tiny request/reply protocol over the IPC channel of a forked benchmark child.
 *   child → parent  { type: 'ready', info }             once, when the child listens
 *   parent → child  { type: 'call', id, cmd, arg? }
 *   child → parent  { type: 'reply', id, ok, result | error }
 * Every child answers `stats` (memory and CPU of its process) and `shutdown`, and exits when the
 * parent goes away (IPC disconnect), so no child outlives a crashed benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ProcessStats {
  memory: NodeJS.MemoryUsage;
  /** Cumulative user + system CPU time of the child, microseconds. */
  cpu: NodeJS.CpuUsage;
}

type Handler = (arg: unknown) => unknown;

interface CallMessage {
  type: 'call';
  id: number;
  cmd: string;
  arg?: unknown;
}

type ChildMessage =
  | { type: 'ready'; info: unknown }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

// ---------------------------------------------------------------- child side

/**
 * Runs `start` in a forked child, reports its result as `ready`, then serves `handlers`.
 * `close` runs on `shutdown` or when the parent disconnects.
 */
export function serveChild<Info>(
  start: () => Promise<{ info: Info; handlers?: Record<string, Handler>; close: () => Promise<void> }>,
): void {
  const send = (message: ChildMessage) => {
    if (process.connected) process.send?.(message);
  };
  if (!process.send) {
    process.stderr.write('This module is a benchmark child: run it through bench/run.js.\n');
    process.exit(2);
  }
  start().then(
    ({ info, handlers = {}, close }) => {
      let closing: Promise<void> | undefined;
      const shutdown = (code: number) => {
        closing ??= close()
          .catch(() => undefined)
          .finally(() => process.exit(code));
        return closing;
      };
      const builtins: Record<string, Handler> = {
        stats: (): ProcessStats => ({ memory: process.memoryUsage(), cpu: process.cpuUsage() }),
        gc: () => {
          (globalThis as { gc?: () => void }).gc?.();
          return null;
        },
      };
      process.on('message', (raw: CallMessage) => {
        if (raw?.type !== 'call') return;
        if (raw.cmd === 'shutdown') {
          send({ type: 'reply', id: raw.id, ok: true, result: null });
          void shutdown(0);
          return;
        }
        const handler = handlers[raw.cmd] ?? builtins[raw.cmd];
        if (!handler) {
          send({ type: 'reply', id: raw.id, ok: false, error: `unknown command ${raw.cmd}` });
          return;
        }
        Promise.resolve()
          .then(() => handler(raw.arg))
          .then(
            (result) => send({ type: 'reply', id: raw.id, ok: true, result }),
            (error: unknown) => send({ type: 'reply', id: raw.id, ok: false, error: String(error) }),
          );
      });
      process.on('disconnect', () => void shutdown(0));
      send({ type: 'ready', info });
    },
    (error: unknown) => {
      process.stderr.write(
        `benchmark child failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------- parent side

const live = new Set<BenchChild<unknown>>();

export class BenchChild<Info> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly info: Info,
  ) {
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (message: ChildMessage) => {
      if (message?.type !== 'reply') return;
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(`${name}: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      live.delete(this as BenchChild<unknown>);
      for (const entry of this.pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(new Error(`${name} exited (code ${code}, signal ${signal}) before answering`));
      }
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Forks dist/bench/<module>.js and waits for its `ready` message. */
  static async start<Info>(
    name: string,
    module: string,
    env: Record<string, string>,
    timeoutMs = 15_000,
    execArgv: string[] = [],
  ): Promise<BenchChild<Info>> {
    const child = fork(path.join(__dirname, `${module}.js`), [], {
      env: { ...process.env, ...env },
      execArgv: ['--expose-gc', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const info = await new Promise<Info>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: ChildMessage) => {
        if (message?.type !== 'ready') return;
        cleanup();
        resolve(message.info as Info);
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`${name} exited during start-up (code ${code}, signal ${signal})`));
      };
      const onError = (error: Error) => {
        cleanup();
        child.kill('SIGKILL');
        reject(error);
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
    });
    const handle = new BenchChild<Info>(name, child, info);
    live.add(handle as BenchChild<unknown>);
    return handle;
  }

  call<T>(cmd: string, arg?: unknown, timeoutMs = 5_000): Promise<T> {
    if (this.exited || !this.child.connected) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ type: 'call', id, cmd, arg } satisfies CallMessage);
    });
  }

  stats(): Promise<ProcessStats> {
    return this.call<ProcessStats>('stats');
  }

  /** Asks the child to close and exit; kills it when it has not exited within `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.exited) return;
    await this.call('shutdown', undefined, graceMs).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** Stops every child still running (gracefully, then by force). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop()));
}

/** Last resort on a synchronous exit path: no waiting possible. */
export function killAll(): void {
  for (const child of live) child.kill();
}
