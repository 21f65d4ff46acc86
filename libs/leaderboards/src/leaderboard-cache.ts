import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { type AppConfig, InjectConfig, Metrics } from '@fittrack/core';
import type { Board } from './leaderboards.repository';

/** A board's generation outlives every entry made under it, so an entry never outlives its generation. */
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The cache in front of the boards (cache-manager: memory, or Redis with REDIS_URL). Each board has a
 * generation; entries are stored under the generation read before the database was queried, and
 * invalidating a board (after the change committed) starts a new generation. So an entry computed from
 * data older than the latest change can never be served, not even one written by a read that raced the
 * commit — the reason for generations rather than deleting keys.
 */
@Injectable()
export class LeaderboardCache {
  private readonly ttlMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @InjectConfig() config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.ttlMs = config.leaderboards.cacheTtlSeconds * 1000;
  }

  private generationKey = (board: Board) => `leaderboard:${board.tierCode}:${board.periodKey}:generation`;

  /** The board's entry `part` (a page, a user's position), computed by `load` when absent or stale. */
  async getOrLoad<T>(board: Board, part: string, load: () => Promise<T>): Promise<T> {
    let generation = await this.cache.get<string>(this.generationKey(board));
    if (!generation) {
      generation = randomUUID();
      await this.cache.set(this.generationKey(board), generation, GENERATION_TTL_MS);
    }
    const key = `leaderboard:${board.tierCode}:${board.periodKey}:${generation}:${part}`;
    const cached = await this.cache.get<{ value: T }>(key);
    this.metrics.leaderboardCache.inc({ outcome: cached ? 'hit' : 'miss' });
    if (cached) return cached.value;
    const value = await load();
    await this.cache.set(key, { value }, this.ttlMs);
    return value;
  }

  /** Every entry of these boards is stale from now on. Call after the change has committed. */
  async invalidate(boards: Board[]): Promise<void> {
    await Promise.all(
      boards.map((board) => this.cache.set(this.generationKey(board), randomUUID(), GENERATION_TTL_MS)),
    );
  }
}
