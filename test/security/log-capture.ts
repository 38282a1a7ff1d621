/** Collects the gateway's JSON log lines in memory, so a test can assert on what was logged. */
import { Writable } from 'node:stream';
import { startHarness, type Harness, type HarnessOptions } from '../support/harness';

export interface LogCapture {
  stream: Writable;
  /** Raw lines, as written. */
  raw(): string[];
  /** Parsed lines. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      done();
    },
  });
  return {
    stream,
    raw: () => [...lines],
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** pino's numeric levels. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** The real gateway over the sandbox, logging at info into a capture. */
export async function startLoggedHarness(options: HarnessOptions = {}): Promise<{ h: Harness; logs: LogCapture }> {
  const logs = captureLogs();
  const h = await startHarness({
    ...options,
    config: { logLevel: 'info', logRequests: true, ...options.config },
    logStream: logs.stream,
  });
  return { h, logs };
}
