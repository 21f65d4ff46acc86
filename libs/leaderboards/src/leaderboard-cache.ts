import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { type AppConfig, InjectConfig, Metrics } from '@fittrack/core';
import type { Board } from './leaderboards.repository';

/** A board's generation outlives every entry made under it, so an entry never outlives its generation. */
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
/** A cache that takes longer than this is treated as down: the board is read from the database. */
const CACHE_TIMEOUT_MS = 300;

function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('leaderboard cache timeout')), CACHE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

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

  /** Invalidations the cache (Redis) missed: until they are written, no entry is trusted. */
  private readonly missed = new Set<string>();

  private generationKey = (board: Board) => `leaderboard:${board.tierCode}:${board.periodKey}:generation`;

  /**
   * The board's entry `part` (a page, a user's position), computed by `load` when absent or stale. While
   * the cache does not answer (Redis down), or some invalidation has not reached it yet, boards are read
   * from the database.
   */
  async getOrLoad<T>(board: Board, part: string, load: () => Promise<T>): Promise<T> {
    const key = await this.entryKey(board, part).catch(() => null);
    const cached = key ? await bounded(this.cache.get<{ value: T }>(key)).catch(() => undefined) : undefined;
    this.metrics.leaderboardCache.inc({ outcome: cached ? 'hit' : 'miss' });
    if (cached) return cached.value;
    const value = await load();
    if (key) await bounded(this.cache.set(key, { value }, this.ttlMs)).catch(() => undefined);
    return value;
  }

  private async entryKey(board: Board, part: string): Promise<string | null> {
    if (this.missed.size > 0 && !(await this.writeMissed())) return null;
    let generation = await bounded(this.cache.get<string>(this.generationKey(board)));
    if (!generation) {
      generation = randomUUID();
      await bounded(this.cache.set(this.generationKey(board), generation, GENERATION_TTL_MS));
    }
    return `leaderboard:${board.tierCode}:${board.periodKey}:${generation}:${part}`;
  }

  /**
   * Every entry of these boards is stale from now on. Call after the change has committed. A generation
   * the cache cannot take now is remembered and written before the cache is trusted again.
   */
  async invalidate(boards: Board[]): Promise<void> {
    for (const board of boards) this.missed.add(this.generationKey(board));
    await this.writeMissed();
  }

  /** Writes the remembered new generations; true once none is left. */
  private async writeMissed(): Promise<boolean> {
    await Promise.all(
      [...this.missed].map(async (key) => {
        try {
          await bounded(this.cache.set(key, randomUUID(), GENERATION_TTL_MS));
          this.missed.delete(key);
        } catch {
          // still missed: tried again on the next read or invalidation
        }
      }),
    );
    return this.missed.size === 0;
  }
}
