/**
 * Verifies bearer JWTs with jose: issuer, audience, an algorithm allow-list (asymmetric only,
 * never `none` or HS*), exp/nbf with a 30 s tolerance, `sub` required. Every failure is an
 * AuthFailure naming the reason; verified tokens are cached until they expire.
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { canonicalDecimal, DECIMAL } from '../charges/limits/limit-config';
import { AuthFailure } from './auth-failure';
import type { Principal } from './principal';
import { grantedScopes, type ScopeClaim } from './scopes';
import { TokenCache } from './token-cache';

/** Asymmetric algorithms only: a public key can never verify an HMAC token. */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export const CLOCK_TOLERANCE_SECONDS = 30;

export interface JwtVerifierOptions {
  key: JWTVerifyGetKey | KeyLike;
  issuer: string;
  audience: string;
  algorithms?: readonly AllowedAlgorithm[];
  scopesClaim?: ScopeClaim | null;
  cache?: TokenCache;
}

function budgetClaim(payload: JWTPayload): string | null {
  const value = payload.credits_budget;
  if (value === undefined) return null;
  const text = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? canonicalDecimal(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text))
    throw new AuthFailure('claims', 'credits_budget must be a non-negative decimal.');
  return canonicalDecimal(text);
}

/** jose's error → our reason, without any part of the token. */
function failureOf(error: unknown): AuthFailure {
  if (error instanceof AuthFailure) return error;
  if (error instanceof errors.JWTExpired) return new AuthFailure('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new AuthFailure('issuer');
      case 'aud':
        return new AuthFailure('audience');
      case 'nbf':
        return new AuthFailure('not_yet_valid');
      default:
        if (error.reason === 'missing') return new AuthFailure('claims', `The ${error.claim} claim is required.`);
        return new AuthFailure('claims', `Claim ${error.claim} is invalid.`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new AuthFailure('algorithm');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthFailure('signature');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new AuthFailure('unknown_key');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new AuthFailure('malformed');
  // A key of the wrong type for the token's algorithm, or anything else jose refuses.
  return new AuthFailure('signature');
}

export class JwtVerifier {
  private readonly cache: TokenCache;
  private readonly algorithms: string[];

  constructor(private readonly options: JwtVerifierOptions) {
    this.cache = options.cache ?? new TokenCache();
    this.algorithms = [...(options.algorithms ?? ALLOWED_ALGORITHMS)];
  }

  /** The principal of a bearer token, or an AuthFailure. */
  async verify(token: string): Promise<Principal> {
    const key = TokenCache.keyOf(token);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const principal = await this.verifyUncached(token);
    this.cache.set(key, principal);
    return principal;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, this.options.key as JWTVerifyGetKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.algorithms,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      });
      payload = verified.payload;
    } catch (error) {
      throw failureOf(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '')
      throw new AuthFailure('claims', 'The sub claim is required.');
    return {
      subject: payload.sub,
      scopes: grantedScopes(payload, this.options.scopesClaim ?? null),
      budget: budgetClaim(payload),
      expiresAtMs: (payload.exp ?? 0) * 1000,
    };
  }
}

/** The token of an `Authorization: Bearer <token>` header; null when absent, AuthFailure when not Bearer. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(value);
  if (!match) throw new AuthFailure('malformed', 'Use Authorization: Bearer <token>.');
  return match[1]!;
}
