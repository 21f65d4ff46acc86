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
/** Board parts this process keeps in its own memory (the oldest stored dropped first). */
const LOCAL_ENTRIES = 5_000;

/**
 * `work`, or a rejection once the cache has not answered within CACHE_TIMEOUT_MS. The rejection waits for
 * the event loop's next I/O phase: after the loop was busy for longer than the timeout, a reply that has
 * arrived meanwhile is read first, so an overloaded process does not take an answering cache for down
 * (and load every board from the database, adding to the load).
 */
function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => setImmediate(() => reject(new Error('leaderboard cache timeout'))),
      CACHE_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** One part of a board (its summary, a page, a caller's position) under one generation. */
export interface BoardPart<Shared, Local> {
  part: string;
  /** Computes the part from the database (a miss in both layers). */
  load: () => Promise<Shared>;
  /** What this process keeps of a shared value (e.g. with its rows serialised once). */
  local: (shared: Shared) => Local;
}

type AnyPart = { part: string; load: () => Promise<unknown>; local: (shared: never) => unknown };
const localOf = (part: AnyPart, shared: unknown) => (part.local as (shared: unknown) => unknown)(shared);

/**
 * The cache in front of the boards (ADR 0013, 0031). Each board has a generation in the shared cache
 * (cache-manager: memory, or Redis with REDIS_URL); invalidating a board (after the change committed)
 * starts a new generation. Entries are stored under the generation read before the database was
 * queried, so an entry computed from data older than the latest change is never served, not even one
 * written by a read that raced the commit.
 *
 * Entries live in two layers: this process's memory and the shared cache. Both are keyed by generation,
 * and every read first reads the board's current generation from the shared cache, so a process never
 * serves an entry of a generation another process has ended: a read after an award shows it on every
 * instance. The local layer spares a read the shared cache's round trip and deserialisation of the
 * entries (and a Redis copy of a board's rows on each read).
 */
@Injectable()
export class LeaderboardCache {
  private readonly ttlMs: number;
  private readonly local = new Map<string, { generation: string; value: unknown; expiresAt: number }>();

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @InjectConfig() config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.ttlMs = config.leaderboards.cacheTtlSeconds * 1000;
  }

  /**
   * Loads under way in this process, by entry key (board, generation, part): reads of a new generation
   * arriving at the same instant share one load instead of each querying the database.
   */
  private readonly loading = new Map<string, Promise<unknown>>();

  /** Invalidations the cache (Redis) missed: until they are written, no entry is trusted. */
  private readonly missed = new Set<string>();

  private generationKey = (board: Board) => `leaderboard:${board.tierCode}:${board.periodKey}:generation`;

  /**
   * The board's current generation (one shared-cache read per board read), or null while the cache does
   * not answer (Redis down) or some invalidation has not reached it yet: the board is then read from the
   * database.
   */
  async generation(board: Board): Promise<string | null> {
    try {
      if (this.missed.size > 0 && !(await this.writeMissed())) return null;
      const key = this.generationKey(board);
      let generation = await bounded(this.cache.get<string>(key));
      if (!generation) {
        generation = randomUUID();
        await bounded(this.cache.set(key, generation, GENERATION_TTL_MS));
      }
      return generation;
    } catch {
      return null;
    }
  }

  /**
   * The board's parts under `generation` (from `generation()`; null: load them all, store nothing): each
   * from this process's memory, else from the shared cache (the missing ones in one multi-get), else
   * loaded, in order (a part's load may reuse what an earlier one read). `hit`: this read loaded nothing.
   */
  async parts<T extends readonly AnyPart[]>(
    board: Board,
    generation: string | null,
    parts: T,
  ): Promise<{ values: { [K in keyof T]: ReturnType<T[K]['local']> }; hit: boolean }> {
    const now = Date.now();
    const name = `${board.tierCode}:${board.periodKey}`;
    const locals = parts.map((p) => `${name}:${p.part}`);
    const keys = parts.map((p) => (generation ? `leaderboard:${name}:${generation}:${p.part}` : null));
    const values: unknown[] = locals.map((local) =>
      generation ? this.fromLocal(local, generation, now) : undefined,
    );
    const absent = keys.flatMap((key, i) => (key && values[i] === undefined ? [i] : []));
    if (absent.length) {
      const shared = await bounded(
        this.cache.mget<{ value: unknown; expiresAt: number }>(absent.map((i) => keys[i]!)),
      ).catch(() => absent.map(() => undefined));
      absent.forEach((i, j) => {
        const entry = shared[j];
        if (entry && entry.expiresAt > now)
          values[i] = this.toLocal(locals[i], generation!, localOf(parts[i], entry.value), entry.expiresAt);
      });
    }
    let hit = true;
    for (const [i, part] of parts.entries()) {
      if (values[i] !== undefined) continue;
      const key = keys[i];
      if (!key) {
        hit = false;
        values[i] = localOf(part, await part.load());
        continue;
      }
      // A read joining a load under way for the same part and generation loads nothing itself.
      let loading = this.loading.get(key);
      if (!loading) {
        hit = false;
        loading = (async () => {
          const value = await part.load();
          const expiresAt = now + this.ttlMs;
          const local = this.toLocal(locals[i], generation!, localOf(part, value), expiresAt);
          await bounded(this.cache.set(key, { value, expiresAt }, this.ttlMs)).catch(() => undefined);
          return local;
        })().finally(() => this.loading.delete(key));
        this.loading.set(key, loading);
      }
      values[i] = await loading;
    }
    return { values: values as never, hit };
  }

  /** Counts a board read: a hit when no part of it was loaded from the database. */
  counted(hit: boolean): void {
    this.metrics.leaderboardCache.inc({ outcome: hit ? 'hit' : 'miss' });
  }

  /** The local copy of a part when it is of `generation` and not expired. */
  private fromLocal(local: string, generation: string, now: number): unknown {
    const entry = this.local.get(local);
    return entry && entry.generation === generation && entry.expiresAt > now ? entry.value : undefined;
  }

  /**
   * Keeps a part's latest generation only (one copy per board part: a board's older generations are
   * never read again), until the shared entry expires (its TTL from when it was loaded).
   */
  private toLocal<L>(local: string, generation: string, value: L, expiresAt: number): L {
    this.local.delete(local);
    if (this.local.size >= LOCAL_ENTRIES) this.local.delete(this.local.keys().next().value!);
    this.local.set(local, { generation, value, expiresAt });
    return value;
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
