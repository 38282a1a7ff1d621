/**
 * The transaction cache in Redis, shared by several gateway replicas. Transactions are immutable,
 * so entries never go stale; keys carry the tenant digest, so a replica only serves a caller what
 * that caller's own credentials fetched. Redis is an optimization here: when it is slow or down,
 * reads count as misses (the upstream answers) and writes are dropped — a request never fails
 * because of the cache.
 */
import Redis from 'ioredis';
import type { CreditTransaction } from '../../domain/credits';
import type { Guid } from '../../domain/guid';
import type { TransactionCache } from './transaction-cache';
import { transactionFromJson, transactionToJson, type StoredTransaction } from '../../domain/transaction-json';
import { closeRedis, REDIS_CLIENT_CLOSE_OPTIONS } from '../../common/close-redis';

export interface RedisTransactionCacheOptions {
  /** How long an entry lives (TIMING_DEFAULTS.transactionCacheTtlMs). */
  ttlMs: number;
  keyPrefix?: string;
  /** Longest wait for one cache command before it counts as a miss (TIMING_DEFAULTS.redis). */
  commandTimeoutMs: number;
  onError?: (error: unknown) => void;
}

function serialize(tx: CreditTransaction): string {
  return JSON.stringify(transactionToJson(tx));
}

function deserialize(raw: string): CreditTransaction {
  return transactionFromJson(JSON.parse(raw) as StoredTransaction);
}

export class RedisTransactionCache implements TransactionCache {
  private readonly redis: Redis;
  private readonly ttlSeconds: number;
  private readonly prefix: string;
  private readonly onError: (error: unknown) => void;

  constructor(url: string, options: RedisTransactionCacheOptions) {
    this.ttlSeconds = Math.max(1, Math.round(options.ttlMs / 1000));
    this.prefix = options.keyPrefix ?? 'credits-gateway:tx:';
    this.onError = options.onError ?? (() => undefined);
    this.redis = new Redis(url, {
      commandTimeout: options.commandTimeoutMs,
      // While disconnected, fail at once (a miss) instead of queueing behind the reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
      ...REDIS_CLIENT_CLOSE_OPTIONS,
    });
    this.redis.on('error', this.onError);
  }

  private key(tenant: string, id: Guid): string {
    return `${this.prefix}${tenant}:${id}`;
  }

  async getMany(tenant: string, ids: readonly Guid[]): Promise<(CreditTransaction | undefined)[]> {
    if (ids.length === 0) return [];
    try {
      const values = await this.redis.mget(ids.map((id) => this.key(tenant, id)));
      return values.map((raw) => (raw === null ? undefined : deserialize(raw)));
    } catch (error) {
      this.onError(error);
      return ids.map(() => undefined);
    }
  }

  async setMany(tenant: string, transactions: readonly CreditTransaction[]): Promise<void> {
    if (transactions.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const tx of transactions) pipeline.set(this.key(tenant, tx.id), serialize(tx), 'EX', this.ttlSeconds);
      await pipeline.exec();
    } catch (error) {
      this.onError(error);
    }
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
