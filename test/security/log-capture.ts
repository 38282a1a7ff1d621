/** Collects the gateway's JSON log lines in memory, so a test can assert on what was logged. */
import { Writable } from 'node:stream';

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
