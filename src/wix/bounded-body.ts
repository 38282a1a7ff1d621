/**
 * Upstream answers are untrusted: a body is read up to a byte bound (WIX_MAX_RESPONSE_BYTES),
 * and one over it is cut off (the stream destroyed) rather than buffered whole.
 *
 * Read with plain 'data'/'end' listeners, not `for await`: an async iterator over a stream costs
 * a finished() watcher, a nextTick and a promise per chunk, a visible share of the per-request
 * CPU for bodies that arrive in one chunk (every balance answer).
 */
import type { Dispatcher } from 'undici';

export const DEFAULT_WIX_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/** The stream closed before its end without an error of its own (what `for await` reports too). */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** The body as UTF-8 text, or ResponseTooLargeError as soon as it passes `maxBytes`. */
export function readBoundedText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    body.on('data', (chunk: Buffer | Uint8Array) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > maxBytes) {
        fail(new ResponseTooLargeError(maxBytes));
        body.destroy();
        return;
      }
      chunks.push(buffer);
    });
    body.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    body.once('error', fail);
    // 'close' follows 'end' on every answer: the error is made only when nothing settled first.
    body.once('close', () => {
      if (!settled) fail(prematureClose());
    });
  });
}
