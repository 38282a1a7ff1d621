/**
 * Why a caller was not authenticated. The description names the reason in words a client can
 * act on, and never contains the token (or any part of it).
 */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'issuer'
  | 'audience'
  | 'algorithm'
  | 'signature'
  | 'unknown_key'
  | 'claims'
  | 'keys_unavailable';

const DESCRIPTIONS: Record<AuthFailureReason, string> = {
  missing: 'An Authorization: Bearer <token> header is required.',
  malformed: 'The bearer token is not a well-formed signed JWT.',
  expired: 'The bearer token has expired.',
  not_yet_valid: 'The bearer token is not valid yet (nbf).',
  issuer: 'The bearer token was issued by an issuer this gateway does not accept.',
  audience: 'The bearer token is not meant for this gateway (aud).',
  algorithm: 'The bearer token is signed with an algorithm this gateway does not accept.',
  signature: 'The bearer token signature is invalid.',
  unknown_key: 'The bearer token is signed with an unknown key (kid).',
  claims: 'The bearer token lacks a required claim or has an invalid one.',
  keys_unavailable: 'The signing keys could not be loaded; try again shortly.',
};

export class AuthFailure extends Error {
  readonly description: string;

  constructor(
    readonly reason: AuthFailureReason,
    detail?: string,
  ) {
    const description = detail ? `${DESCRIPTIONS[reason]} ${detail}` : DESCRIPTIONS[reason];
    super(description);
    this.name = 'AuthFailure';
    this.description = description;
  }

  /** The RFC 6750 challenge for this failure (quotes and backslashes cannot occur in our texts). */
  get challenge(): string {
    return this.reason === 'missing'
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="${this.description.replace(/["\\]/g, '')}"`;
  }
}
