/**
 * Charge state shared by gateway replicas in Redis: the idempotency records (what was sent, what
 * finished) and a lock per key. It fails closed: when Redis cannot be reached, no charge is sent
 * (CoordinationUnavailableError), since replicas could otherwise charge one key side by side.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { transactionFromJson, transactionToJson, type StoredTransaction } from '../domain/transaction-json';
import { CoordinationUnavailableError, type KeyLock, type LockLease } from './coordination';
import type { IdempotencyStore, StoredCharge } from './idempotency-store';
import { closeRedis, REDIS_CLIENT_CLOSE_OPTIONS, whenReady } from '../common/close-redis';

/** Deletes the lock, or sets it to expire in ARGV[2] ms, only while it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/** Makes the lock live at least ARGV[2] ms more, only while it is still ours. */
const EXTEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/** Evicting keys could drop a lock or a record while a send is pending: only noeviction is safe. */
const SAFE_EVICTION_POLICY = 'noeviction';

type StoredJson =
  | { kind: 'sent'; fingerprints: string[] }
  | {
      kind: 'done';
      fingerprint: string;
      outcome:
        | { kind: 'charged'; transaction: StoredTransaction }
        | { kind: 'insufficient'; requiredCredits: number; availableCredits: number };
    };

function encode(value: StoredCharge): string {
  if (value.kind === 'done' && value.outcome.kind === 'charged') {
    return JSON.stringify({
      ...value,
      outcome: { kind: 'charged', transaction: transactionToJson(value.outcome.transaction) },
    });
  }
  return JSON.stringify(value);
}

function decode(raw: string): StoredCharge {
  const value = JSON.parse(raw) as StoredJson;
  if (value.kind === 'done' && value.outcome.kind === 'charged') {
    return { ...value, outcome: { kind: 'charged', transaction: transactionFromJson(value.outcome.transaction) } };
  }
  return value as StoredCharge;
}

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new CoordinationUnavailableError(error instanceof Error ? error.message : String(error));
  }
}

export interface RedisChargeStateOptions {
  keyPrefix?: string;
  /** One command, and the wait for a connection (TIMING_DEFAULTS.redis.stateCommandTimeoutMs). */
  commandTimeoutMs: number;
  onError?: (error: unknown) => void;
}

export class RedisChargeState implements IdempotencyStore, KeyLock {
  private readonly redis: Redis;
  private readonly prefix: string;
  private evictionPolicy: Promise<string> | undefined;

  constructor(
    url: string,
    private readonly options: RedisChargeStateOptions,
  ) {
    this.prefix = options.keyPrefix ?? 'credits-gateway:charge:';
    this.redis = new Redis(url, {
      commandTimeout: options.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      ...REDIS_CLIENT_CLOSE_OPTIONS,
    });
    this.redis.on('error', options.onError ?? (() => undefined));
    // A reconnect may reach another server (failover): check its policy again.
    this.redis.on('ready', () => {
      this.evictionPolicy = undefined;
    });
  }

  /** Does Redis answer now? (Backs /readyz.) */
  async ping(): Promise<boolean> {
    try {
      // Still connecting (just started, or reconnecting): give it one command timeout.
      await whenReady(this.redis, this.options.commandTimeoutMs);
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  get(key: string): Promise<StoredCharge | undefined> {
    return guarded(async () => {
      const raw = await this.redis.get(this.prefix + key);
      return raw === null ? undefined : decode(raw);
    });
  }

  set(key: string, value: StoredCharge, ttlMs: number): Promise<void> {
    return guarded(async () => {
      await this.redis.set(this.prefix + key, encode(value), 'PX', Math.max(1, Math.round(ttlMs)));
    });
  }

  delete(key: string): Promise<void> {
    return guarded(async () => {
      await this.redis.del(this.prefix + key);
    });
  }

  tryAcquire(key: string, ttlMs: number): Promise<LockLease | null> {
    const lockKey = `${this.prefix}lock:${key}`;
    const token = randomUUID();
    return guarded(async () => {
      await this.checkEvictionPolicy();
      let taken: string | null;
      try {
        taken = await this.redis.set(lockKey, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      } catch (error) {
        // The SET may have run although its answer was lost: do not leave a lock nobody holds.
        await this.redis.eval(RELEASE, 1, lockKey, token, '0').catch(() => undefined);
        throw error;
      }
      if (taken !== 'OK') return null;
      const run = (script: string, ms: number) =>
        this.redis.eval(script, 1, lockKey, token, String(Math.max(0, Math.ceil(ms))));
      return {
        extend: async (ms: number) => (await run(EXTEND, ms)) === 1,
        release: async (holdMs: number) => {
          await run(RELEASE, holdMs);
        },
      };
    });
  }

  /** Checked once per connection: an evicting Redis fails every charge, loudly. */
  private async checkEvictionPolicy(): Promise<void> {
    this.evictionPolicy ??= this.redis
      .info('memory')
      .then((info) => /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? 'unknown');
    let policy: string;
    try {
      policy = await this.evictionPolicy;
    } catch (error) {
      this.evictionPolicy = undefined;
      throw error;
    }
    if (policy !== SAFE_EVICTION_POLICY) {
      throw new Error(
        `Redis maxmemory-policy is ${policy}; charge state needs ${SAFE_EVICTION_POLICY} (an evicted lock could let two replicas charge one key)`,
      );
    }
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
