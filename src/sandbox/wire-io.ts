/**
 * The sandbox's bytes on the wire: reading a request body (bounded), parsing it, writing a JSON
 * answer with Wix's request-id header, and cutting a connection the way a failing network does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applicationError } from './errors';

/** Longest request body read; longer is answered 413. */
const MAX_BODY_BYTES = 1024 * 1024;

export type Parsed = { ok: true; value: unknown } | { ok: false };

/** A request body as the routes take it: a JSON object, or not parseable as one. */
export function parseBody(text: string): Parsed {
  // Curl users often send no body at all to Get Balance; treat that as `{}`.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** The charge body's idempotency key, for the request log (before any validation). */
export function idempotencyKeyOf(parsed: Parsed): string | undefined {
  if (!parsed.ok) return undefined;
  const key = (parsed.value as { idempotencyKey?: unknown }).idempotencyKey;
  return typeof key === 'string' ? key : undefined;
}

/** Collects the body (up to MAX_BODY_BYTES) and hands its text on; a longer body is answered 413. */
export function readBody(req: IncomingMessage, res: ServerResponse, onBody: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) send(res, 413, applicationError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large').body);
    else onBody(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
  // A client that vanishes mid-request is not the sandbox's problem.
  req.on('error', () => undefined);
}

export function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'x-wix-request-id': randomUUID(),
    'content-length': Buffer.byteLength(payload),
    ...extra,
  };
  if (payload !== '') headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, headers);
  res.end(payload);
}

export /** A TCP RST where the platform allows it, so clients see ECONNRESET rather than a clean close. */
function resetSocket(req: IncomingMessage): void {
  const socket = req.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

export function formatUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
