import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
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
 * fixed window per key (SET NX with the window's expiry, then INCR).
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _block: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const redisKey = `${this.prefix}:throttle:${name}:${key}`;
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
