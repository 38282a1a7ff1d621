/**
 * Signing keys from a JWKS endpoint, for jose's `jwtVerify`. jose's own remote set refetches on
 * every stale read and fails known keys while the endpoint is down; this one does what we need:
 *  - keys are cached; past `maxAgeMs` they are refreshed in the background (requests go on with
 *    the cached keys meanwhile);
 *  - an unknown `kid` refetches at once, at most once per `cooldownMs` (rotation is picked up
 *    without letting forged kids hammer the endpoint);
 *  - one fetch at a time, bounded by `timeoutMs` and `maxBytes`; a failed fetch keeps the keys
 *    already known, so an outage only affects tokens signed by keys never seen.
 */
import { performance } from 'node:perf_hooks';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { request } from 'undici';
import { AuthFailure } from './auth-failure';

export interface JwksKeySourceOptions {
  url: string;
  /** One fetch, the pause before an unknown kid refetches, the age that refreshes (TIMING_DEFAULTS.jwks). */
  timeoutMs: number;
  cooldownMs: number;
  maxAgeMs: number;
  maxBytes?: number;
  /** A failed fetch (logged by the caller; the request sees only a 401 when it had no key). */
  onError?: (error: unknown) => void;
}

type GetKey = ReturnType<typeof createLocalJWKSet>;

export class JwksKeySource {
  private keys: GetKey | null = null;
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;
  private inflight: Promise<void> | null = null;
  private readonly maxBytes: number;

  constructor(private readonly options: JwksKeySourceOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
  }

  /** The key resolver jose calls with each token's protected header. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.keys) {
      if (!this.coolingDown()) await this.refresh();
      if (!this.keys) throw new AuthFailure('keys_unavailable');
    } else if (performance.now() - this.fetchedAt > this.options.maxAgeMs) {
      void this.refresh();
    }
    try {
      return await this.keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.coolingDown()) throw error;
      await this.refresh();
      return this.keys(header, token);
    }
  };

  /** Fetches the set once (concurrent callers share the fetch); failures keep the known keys. */
  refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.fetchedAt = performance.now();
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private coolingDown(): boolean {
    return performance.now() - this.attemptedAt < this.options.cooldownMs;
  }

  private async fetchKeys(): Promise<GetKey> {
    this.attemptedAt = performance.now();
    const res = await request(this.options.url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`JWKS endpoint answered HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.maxBytes) {
        res.body.destroy();
        throw new Error(`JWKS document larger than ${this.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return createLocalJWKSet(JSON.parse(Buffer.concat(chunks).toString('utf8')) as JSONWebKeySet);
  }
}
