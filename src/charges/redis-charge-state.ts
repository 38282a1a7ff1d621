/**
 * Charge state shared by gateway replicas in Redis: the idempotency records (what was sent, what
 * finished) and a lock per key. It fails closed: when Redis cannot be reached, no charge is sent
 * (CoordinationUnavailableError), since replicas could otherwise charge one key side by side.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { transactionFromJson, transactionToJson, type StoredTransaction } from '../cache/transaction-json';
import { CoordinationUnavailableError, type KeyLock, type ReleaseLock } from './coordination';
import type { IdempotencyStore, StoredCharge } from './idempotency-store';

/** Deletes the lock, or shortens it to ARGV[2] ms, only while it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

type StoredJson =
  | { kind: 'sent'; fingerprints: string[] }
  | { kind: 'done'; fingerprint: string; outcome: { kind: 'charged'; transaction: StoredTransaction } | { kind: 'insufficient'; requiredCredits: number; availableCredits: number } };

function encode(value: StoredCharge): string {
  if (value.kind === 'done' && value.outcome.kind === 'charged') {
    return JSON.stringify({ ...value, outcome: { kind: 'charged', transaction: transactionToJson(value.outcome.transaction) } });
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
  commandTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export class RedisChargeState implements IdempotencyStore, KeyLock {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, options: RedisChargeStateOptions = {}) {
    this.prefix = options.keyPrefix ?? 'credits-gateway:charge:';
    this.redis = new Redis(url, {
      commandTimeout: options.commandTimeoutMs ?? 500,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.redis.on('error', options.onError ?? (() => undefined));
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

  tryAcquire(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    return guarded(async () => {
      const lockKey = `${this.prefix}lock:${key}`;
      const token = randomUUID();
      const taken = await this.redis.set(lockKey, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      if (taken !== 'OK') return null;
      return async (holdMs: number) => {
        await this.redis.eval(RELEASE, 1, lockKey, token, String(Math.max(0, Math.ceil(holdMs))));
      };
    });
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
