/**
 * The caller of one request, as far as authorization goes: the verified principal when JWT
 * authentication is on, and the client address (what limits key on when there is no identity).
 */
import type { Principal } from './principal';

export interface Caller {
  /** Scopes are enforced (JWT mode); when false every operation is allowed. */
  enforced: boolean;
  /** The verified token's principal; null without a token (or without JWT mode). */
  principal: Principal | null;
  /** The client's address, as the server saw it. */
  address: string;
  /** The caller's own Wix credentials travel upstream (WIX_AUTH=forward): the tenant is the identity. */
  forwarded: boolean;
}

export const UNRESTRICTED_CALLER: Caller = { enforced: false, principal: null, address: 'unknown', forwarded: false };
