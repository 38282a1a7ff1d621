/**
 * Connection cursors as the client sees them: opaque and tamper-proof. A cursor is
 * `<payload>.<mac>`, both base64url; the payload names the upstream page and how much of it was
 * consumed (see transaction-cursor.ts) and the query (filter and order) it was made for; the
 * MAC is HMAC-SHA256 under a server-side key over the payload *and* the tenant it was issued to.
 * So a client can neither edit the upstream cursor inside (whatever reaches the upstream was
 * handed out by the upstream to this tenant) nor replay another tenant's cursor; either is
 * an InvalidCursorError (BAD_USER_INPUT on `after`) before any upstream call.
 *
 * The key is CURSOR_SECRET when set (replicas share it, so a cursor made by one is accepted by
 * another), else random per process (cursors then die with the process: a client starts again
 * from the first page).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './invalid-cursor';
import type { CursorPosition } from './transaction-cursor';

/** Who and what a cursor is bound to. */
export interface CursorBinding {
  tenant: string;
  /** queryHash(filter, order). */
  query: string;
}

interface CursorPayload {
  v: 2;
  u: string | null;
  s: number;
  q: string;
}

/** Longer than any cursor we issue (upstream cursors are a few hundred bytes): refused unread. */
export const MAX_CURSOR_LENGTH = 4096;
const MAC_BYTES = 32;
const DOMAIN = 'credits-gateway cursor v2';

const NOT_OURS = 'after is not a cursor returned by creditTransactions to these credentials.';
const OTHER_QUERY =
  'after was returned for a different filter or order; pass the same filter and order as the page it came from.';

export class CursorCodec {
  private readonly key: Buffer;

  /** `secret`: CURSOR_SECRET (≥ 32 characters, checked by config); null: a random key for this process. */
  constructor(secret: string | null) {
    this.key = secret === null ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  encode(position: CursorPosition, binding: CursorBinding): string {
    const payload: CursorPayload = { v: 2, u: position.upstream, s: position.skip, q: binding.query };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body, binding.tenant).toString('base64url')}`;
  }

  /** The position a cursor names; InvalidCursorError when it is not one we issued for this binding. */
  decode(cursor: string, binding: CursorBinding): CursorPosition {
    if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError(NOT_OURS);
    const dot = cursor.indexOf('.');
    if (dot < 0) throw new InvalidCursorError(NOT_OURS);
    const body = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
    const expected = this.mac(body, binding.tenant);
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) throw new InvalidCursorError(NOT_OURS);
    // Authentic from here on: the payload is one we wrote, for this tenant.
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
    if (payload.q !== binding.query) throw new InvalidCursorError(OTHER_QUERY);
    return { upstream: payload.u, skip: payload.s };
  }

  private mac(body: string, tenant: string): Buffer {
    return createHmac('sha256', this.key).update(DOMAIN).update('\n').update(tenant).update('\n').update(body).digest();
  }
}
