/**
 * Upstream answers are untrusted: a body is read up to a byte bound (WIX_MAX_RESPONSE_BYTES),
 * and one over it is cut off (the stream destroyed) rather than buffered whole.
 */
import type { Dispatcher } from 'undici';

export const DEFAULT_WIX_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/** The body as UTF-8 text, or ResponseTooLargeError as soon as it passes `maxBytes`. */
export async function readBoundedText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
