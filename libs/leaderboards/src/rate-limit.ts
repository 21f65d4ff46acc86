import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { type Principal, TooManyRequestsError } from '@fittrack/core';

/** Leaderboard reads per user per minute (api-contract, Rate limits). */
export const LEADERBOARD_LIMIT_PER_MINUTE = 60;
const WINDOW_MS = 60_000;
export const LEADERBOARD_THROTTLE_STORAGE = Symbol('LEADERBOARD_THROTTLE_STORAGE');
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage contract over Redis, so every API instance counts the same requests: a
 * fixed window per key (SET NX with the window's expiry, then INCR). While Redis does not answer, each
 * instance counts in memory instead, as the global limit does (ADR 0016): reads keep being served.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('LeaderboardRateLimit');
  private readonly redis: Redis;
  private readonly local = new Map<string, { hits: number; resetAt: number }>();
  private redisFailing = false;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 500 });
    // Failures are handled per command (counted in memory meanwhile), not as unhandled error events.
    this.redis.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _block: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.redisIncrement(`${this.prefix}:throttle:${name}:${key}`, ttl, limit);
      this.redisFailing = false;
      return record;
    } catch (error) {
      if (!this.redisFailing) {
        this.logger.warn(
          `Redis unavailable, leaderboard limits count per instance meanwhile: ${String(error)}`,
        );
      }
      this.redisFailing = true;
      return this.localIncrement(`${name}:${key}`, ttl, limit);
    }
  }

  private localIncrement(key: string, ttl: number, limit: number): ThrottlerStorageRecord {
    const now = Date.now();
    let hit = this.local.get(key);
    if (!hit || hit.resetAt <= now) {
      for (const [other, entry] of this.local) if (entry.resetAt <= now) this.local.delete(other);
      hit = { hits: 0, resetAt: now + ttl };
      this.local.set(key, hit);
    }
    hit.hits += 1;
    const timeToExpire = Math.max(1, Math.ceil((hit.resetAt - now) / 1000));
    const isBlocked = hit.hits > limit;
    return { totalHits: hit.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  private async redisIncrement(
    redisKey: string,
    ttl: number,
    limit: number,
  ): Promise<ThrottlerStorageRecord> {
    // While ioredis reconnects a command would only wait: count in memory at once instead.
    if (['reconnecting', 'close', 'end'].includes(this.redis.status)) {
      throw new Error(`redis ${this.redis.status}`);
    }
    const replies = await this.redis
      .multi()
      .set(redisKey, 0, 'PX', ttl, 'NX')
      .incr(redisKey)
      .pttl(redisKey)
      .exec();
    const [, hits] = replies?.[1] ?? [];
    const [, pttl] = replies?.[2] ?? [];
    const timeToExpire = Math.max(1, Math.ceil(Number(pttl) / 1000));
    const isBlocked = Number(hits) > limit;
    return {
      totalHits: Number(hits),
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/**
 * 60 leaderboard requests a minute per user (429 with Retry-After past it). Runs after the global access
 * guard, so the caller is known; the key is the user id, never the IP (many mobile users share one).
 */
@Injectable()
export class LeaderboardRateLimit implements CanActivate {
  constructor(@Inject(LEADERBOARD_THROTTLE_STORAGE) private readonly storage: ThrottlerStorage) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return true; // unreachable: the route is authenticated
    const record = await this.storage.increment(
      principal.userId,
      WINDOW_MS,
      LEADERBOARD_LIMIT_PER_MINUTE,
      0,
      'leaderboards',
    );
    if (record.isBlocked) {
      throw new TooManyRequestsError('Too many leaderboard requests, slow down', record.timeToBlockExpire);
    }
    return true;
  }
}
