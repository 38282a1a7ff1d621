/**
 * Verified tokens, remembered until they expire: a token already seen costs one digest and one
 * LRU lookup (≈ 2 µs) instead of a signature check (≈ 130 µs for RS256). Bounded by entries
 * and bytes; keyed by a SHA-256 digest of the token, so the cache holds no bearer secrets.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';

export interface TokenCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

/** Rough retained size of one entry: digest key, principal, scopes. */
function sizeOf(principal: Principal): number {
  let size = 200 + principal.subject.length * 2 + (principal.budget?.length ?? 0) * 2;
  for (const scope of principal.scopes) size += 40 + scope.length * 2;
  return size;
}

export class TokenCache {
  private readonly lru: LRUCache<string, Principal>;
  private readonly now: () => number;

  constructor(options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lru = new LRUCache<string, Principal>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      sizeCalculation: sizeOf,
    });
  }

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(key: string): Principal | undefined {
    const principal = this.lru.get(key);
    if (principal && principal.expiresAtMs <= this.now()) {
      this.lru.delete(key);
      return undefined;
    }
    return principal;
  }

  /** Kept until the token's own expiry (tokens without `exp` are not cached). */
  set(key: string, principal: Principal): void {
    const ttl = principal.expiresAtMs - this.now();
    if (Number.isFinite(ttl) && ttl > 0) this.lru.set(key, principal, { ttl });
  }

  get size(): number {
    return this.lru.size;
  }
}
