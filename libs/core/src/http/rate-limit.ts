import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Request } from 'express';
import Redis from 'ioredis';
import { type AppConfig, InjectConfig } from '../config/app-config';
import { TooManyRequestsError } from '../errors/domain-errors';
import type { Principal } from './public.decorator';

const WINDOW_MS = 60_000;
/** Probes and scrapes are not API traffic. */
const UNLIMITED = /^\/(health|metrics)(\/|$)/;

/**
 * One command and one reply per request (EVALSHA; ioredis sends the script itself on NOSCRIPT): the count,
 * and the key's expiry set with its first hit (the key names its window; the expiry only clears it).
 * MULTI/INCR/PEXPIRE/EXEC cost four commands and replies.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

type RateLimitRedis = Redis & { rateLimitHit(key: string, windowMs: number): Promise<number> };

interface Hit {
  count: number;
  resetAt: number;
}

/**
 * The global limit of the API contract: RATE_LIMIT_PER_MINUTE requests per user when authenticated, per
 * client IP otherwise (`req.ip`, so TRUST_PROXY decides what the client is), in fixed one-minute windows;
 * 429 problem+json with Retry-After past it. Counted in Redis when REDIS_URL is set, so every API instance
 * shares one count; while Redis does not answer, each instance counts in memory instead (reads keep being
 * served, the limit still holds per instance) and says so in the log. The global access guard calls it,
 * once it knows the caller (or refused one: refused requests count against their IP); endpoints with a
 * stricter limit of their own (auth) keep it.
 */
@Injectable()
export class GlobalRateLimit implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new Map<string, Hit>();
  private redis: Redis | undefined;
  private redisFailing = false;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /**
   * Counts the request; throws TooManyRequestsError (429, Retry-After) past the limit. Synchronous when
   * counting in memory (a promise only with Redis): it runs on every request, so no promise when none is
   * needed.
   */
  check(request: Request & { principal?: Principal }): Promise<void> | undefined {
    if (UNLIMITED.test(request.path)) return undefined;
    const key = request.principal ? `user:${request.principal.userId}` : `ip:${request.ip ?? 'unknown'}`;
    if (!this.config.redisUrl) return this.enforce(this.localHit(key));
    return this.sharedHit(key).then((hit) => this.enforce(hit));
  }

  private enforce(hit: Hit): undefined {
    if (hit.count > this.config.auth.rateLimitPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000));
      throw new TooManyRequestsError('Too many requests, slow down', retryAfter);
    }
    return undefined;
  }

  private async sharedHit(key: string): Promise<Hit> {
    try {
      const hit = await this.redisHit(key);
      if (this.redisFailing) this.logger.log('Redis answers again: rate limits are shared again');
      this.redisFailing = false;
      return hit;
    } catch (error) {
      if (!this.redisFailing) {
        this.logger.warn(`Redis unavailable, rate limits count per instance meanwhile: ${String(error)}`);
      }
      this.redisFailing = true;
      return this.localHit(key);
    }
  }

  private async redisHit(key: string): Promise<Hit> {
    if (!this.redis) {
      this.redis = new Redis(this.config.redisUrl!, { maxRetriesPerRequest: 1, commandTimeout: 500 });
      this.redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
      // The first request waits (briefly) for the connection; later ones never wait for a reconnect.
      await Promise.race([
        new Promise((resolve) => this.redis!.once('ready', resolve)),
        new Promise((resolve) => setTimeout(resolve, 1000).unref()),
      ]);
    }
    if (this.redis.status !== 'ready') throw new Error(`redis ${this.redis.status}`);
    // The window's start is part of the key: every instance agrees on it without coordination.
    const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
    const redisKey = `${this.config.queuePrefix}:ratelimit:${key}:${windowStart}`;
    const count = await (this.redis as RateLimitRedis).rateLimitHit(redisKey, WINDOW_MS);
    return { count: Number(count), resetAt: windowStart + WINDOW_MS };
  }

  private localHit(key: string): Hit {
    const now = Date.now();
    let hit = this.local.get(key);
    if (!hit || hit.resetAt <= now) {
      if (this.local.size > 100_000) this.prune(now);
      hit = { count: 0, resetAt: Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS };
      this.local.set(key, hit);
    }
    hit.count += 1;
    return hit;
  }

  private prune(now: number): void {
    for (const [key, hit] of this.local) if (hit.resetAt <= now) this.local.delete(key);
  }

  async onApplicationShutdown(): Promise<void> {
    // disconnect, not quit: quit waits for a reply a down Redis never sends, and stops no reconnect loop.
    this.redis?.disconnect();
  }
}
