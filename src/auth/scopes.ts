/** The scopes the gateway knows, and how a token's claims name them. */
export const Scope = {
  READ: 'credits:read',
  CHARGE: 'credits:charge',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Which claim carries the scopes: `scope` (space-separated), or the `scp` / `permissions` arrays. */
export const SCOPE_CLAIMS = ['scope', 'scp', 'permissions'] as const;
export type ScopeClaim = (typeof SCOPE_CLAIMS)[number];

function scopesOf(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

/**
 * The scopes granted by a payload: from `claim` when configured, otherwise from the first of
 * scope, scp, permissions present. A claim of the wrong shape grants nothing.
 */
export function grantedScopes(payload: Record<string, unknown>, claim: ScopeClaim | null): Set<string> {
  const claims = claim ? [claim] : SCOPE_CLAIMS;
  for (const name of claims) {
    if (payload[name] === undefined) continue;
    return new Set(scopesOf(payload[name]) ?? []);
  }
  return new Set();
}
