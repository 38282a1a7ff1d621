/**
 * Charge limits shared by replicas in Redis: admission and settlement are single Lua scripts,
 * so concurrent charges on any replica see one count and one budget. Credits are summed as
 * decimal strings inside Lua (digit by digit): no float ever touches a budget. When Redis cannot
 * be reached, admission fails closed (CoordinationUnavailableError: nothing is sent).
 */
import Redis from 'ioredis';
import { CoordinationUnavailableError } from '../coordination';
import { closeRedis, REDIS_CLIENT_CLOSE_OPTIONS, whenReady } from '../../common/close-redis';
import {
  MARKER_TTL_MS,
  subjectDigest,
  USAGE_TTL_MS,
  type Admission,
  type AdmitRequest,
  type LimitStore,
  type Settlement,
} from './limit-store';

/** Exact addition, subtraction and comparison of non-negative decimal strings. */
const DECIMAL_LUA = `
local function split(s)
  local i, f = string.match(s, '^(%d+)%.?(%d*)$')
  return i, f
end
local function align(a, b)
  local ai, af = split(a)
  local bi, bf = split(b)
  local fl = math.max(#af, #bf)
  af = af .. string.rep('0', fl - #af)
  bf = bf .. string.rep('0', fl - #bf)
  local il = math.max(#ai, #bi)
  ai = string.rep('0', il - #ai) .. ai
  bi = string.rep('0', il - #bi) .. bi
  return ai .. af, bi .. bf, fl
end
local function fmt(digits, fl)
  local i = string.sub(digits, 1, #digits - fl)
  local f = string.sub(digits, #digits - fl + 1)
  i = string.gsub(i, '^0+', '')
  if i == '' then i = '0' end
  f = string.gsub(f, '0+$', '')
  if f == '' then return i end
  return i .. '.' .. f
end
local function dcmp(a, b)
  local x, y = align(a, b)
  if x == y then return 0 elseif x < y then return -1 else return 1 end
end
local function dadd(a, b)
  local x, y, fl = align(a, b)
  local out, carry = {}, 0
  for k = #x, 1, -1 do
    local d = string.byte(x, k) + string.byte(y, k) - 96 + carry
    if d >= 10 then d = d - 10; carry = 1 else carry = 0 end
    out[#x - k + 1] = string.char(d + 48)
  end
  if carry == 1 then out[#out + 1] = '1' end
  return fmt(string.reverse(table.concat(out)), fl)
end
local function dsub(a, b)
  if dcmp(a, b) <= 0 then return '0' end
  local x, y, fl = align(a, b)
  local out, borrow = {}, 0
  for k = #x, 1, -1 do
    local d = string.byte(x, k) - string.byte(y, k) - borrow
    if d < 0 then d = d + 10; borrow = 1 else borrow = 0 end
    out[#x - k + 1] = string.char(d + 48)
  end
  return fmt(string.reverse(table.concat(out)), fl)
end
`;

/**
 * KEYS: marker, usage (of today), rate log.
 * ARGV: amount, budget ('' = none), rate limit (0 = none), window ms, now ms, marker ttl, usage
 * ttl, day, unique member, usage key prefix.
 */
const ADMIT = `${DECIMAL_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return {'replay'} end
local limit = tonumber(ARGV[3])
if limit > 0 then
  local now, window = tonumber(ARGV[5]), tonumber(ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
  if redis.call('ZCARD', KEYS[3]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    return {'rate', tostring(tonumber(oldest[2]) + window - now)}
  end
  redis.call('ZADD', KEYS[3], now, ARGV[9])
  redis.call('PEXPIRE', KEYS[3], window)
end
local amount = '0'
if ARGV[2] ~= '' then
  local used = redis.call('GET', KEYS[2]) or '0'
  local after = dadd(used, ARGV[1])
  if dcmp(after, ARGV[2]) > 0 then return {'budget', used} end
  redis.call('SET', KEYS[2], after, 'PX', ARGV[7])
  amount = ARGV[1]
end
redis.call('SET', KEYS[1], 'r|' .. ARGV[10] .. ARGV[8] .. '|' .. amount, 'PX', ARGV[6])
return {'ok'}`;

/**
 * KEYS: marker. ARGV: settlement, marker ttl. The usage key is read from the marker (the day
 * the reservation was made), so a release after midnight gives back to the right day.
 */
const SETTLE = `${DECIMAL_LUA}
local marker = redis.call('GET', KEYS[1])
if not marker or string.sub(marker, 1, 2) ~= 'r|' then return 0 end
local usageKey, amount = string.match(marker, '^r|(.*)|([%d%.]+)$')
if ARGV[1] ~= 'made' and amount ~= '0' then
  local used = redis.call('GET', usageKey)
  if used then redis.call('SET', usageKey, dsub(used, amount), 'KEEPTTL') end
end
if ARGV[1] == 'failed' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], 's', 'PX', ARGV[2]) end
return 1`;

type LimitRedis = Redis & {
  limitsAdmit(marker: string, usage: string, rate: string, ...args: string[]): Promise<string[]>;
  limitsSettle(marker: string, ...args: string[]): Promise<number>;
  /** Runs DECIMAL_LUA arithmetic (tests). */
  limitsDecimal(op: string, a: string, b: string): Promise<string>;
};

export interface RedisLimitStoreOptions {
  keyPrefix?: string;
  /** One command, and the wait for a connection (TIMING_DEFAULTS.redis.stateCommandTimeoutMs). */
  commandTimeoutMs: number;
  onError?: (error: unknown) => void;
}

export class RedisLimitStore implements LimitStore {
  private readonly redis: LimitRedis;
  private readonly prefix: string;
  private sequence = 0;
  private readonly connectWaitMs: number;

  constructor(url: string, options: RedisLimitStoreOptions) {
    this.prefix = options.keyPrefix ?? 'credits-gateway:limits:';
    this.connectWaitMs = options.commandTimeoutMs;
    const redis = new Redis(url, {
      commandTimeout: options.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      ...REDIS_CLIENT_CLOSE_OPTIONS,
    });
    redis.on('error', options.onError ?? (() => undefined));
    redis.defineCommand('limitsAdmit', { numberOfKeys: 3, lua: ADMIT });
    redis.defineCommand('limitsSettle', { numberOfKeys: 1, lua: SETTLE });
    redis.defineCommand('limitsDecimal', {
      numberOfKeys: 0,
      lua: `${DECIMAL_LUA}
if ARGV[1] == 'add' then return dadd(ARGV[2], ARGV[3]) elseif ARGV[1] == 'sub' then return dsub(ARGV[2], ARGV[3]) else return tostring(dcmp(ARGV[2], ARGV[3])) end`,
    });
    this.redis = redis as LimitRedis;
  }

  private markerKey(subject: string, idempotencyKey: string): string {
    return `${this.prefix}m:${subject}:${idempotencyKey}`;
  }

  /** Commands are not queued while (re)connecting: wait for the connection, at most one command timeout. */
  private connected(): Promise<void> {
    return whenReady(this.redis, this.connectWaitMs);
  }

  async admit(r: AdmitRequest): Promise<Admission> {
    const subject = subjectDigest(r.subject);
    const usagePrefix = `${this.prefix}u:${subject}:`;
    let answer: string[];
    try {
      await this.connected();
      answer = await this.redis.limitsAdmit(
        this.markerKey(subject, r.idempotencyKey),
        `${usagePrefix}${r.day}`,
        `${this.prefix}r:${subject}`,
        r.amount,
        r.budget ?? '',
        String(r.rate?.limit ?? 0),
        String(r.rate?.windowMs ?? 0),
        String(r.nowMs),
        String(MARKER_TTL_MS),
        String(USAGE_TTL_MS),
        r.day,
        `${r.nowMs}:${process.pid}:${this.sequence++}:${Math.random()}`,
        usagePrefix,
      );
    } catch (error) {
      throw new CoordinationUnavailableError(
        `charge limits: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    switch (answer[0]) {
      case 'replay':
        return { kind: 'replay' };
      case 'rate':
        return { kind: 'rateLimited', retryAfterMs: Number(answer[1]) };
      case 'budget':
        return { kind: 'budgetExceeded', used: answer[1] ?? '0' };
      default:
        return { kind: 'admitted' };
    }
  }

  async settle(subject: string, idempotencyKey: string, settlement: Settlement): Promise<void> {
    await this.connected();
    await this.redis.limitsSettle(
      this.markerKey(subjectDigest(subject), idempotencyKey),
      settlement,
      String(MARKER_TTL_MS),
    );
  }

  /** Lua decimal arithmetic, exposed for its property test. */
  async decimal(op: 'add' | 'sub' | 'cmp', a: string, b: string): Promise<string> {
    await this.connected();
    return this.redis.limitsDecimal(op, a, b);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
