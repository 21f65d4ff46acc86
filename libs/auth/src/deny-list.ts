import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { Clock, isDatabaseBusy, ReadinessCheck, ServiceUnavailableError } from '@fittrack/core';
import { DeniedAccessTokensRepository } from './denied-access-tokens.repository';

const UNAVAILABLE = 'Token revocation cannot be checked right now; try again shortly';

/** Redis answers within this or counts as down (the database answers instead). */
const REDIS_TIMEOUT_MS = 500;

/** A store in front of the database's deny-list: Redis across processes, or this process's memory. */
export interface DenyCache {
  /** Best effort: records a denial until `expiresAt`. */
  add(jti: string, expiresAt: Date): Promise<void>;
  /** true or false when the store can say for sure; null when the database must answer. */
  lookup(jti: string): Promise<boolean | null>;
  /**
   * Starts filling the store from the database, when it needs that and can take it now. Called on first
   * use, not at startup: the worker and the CLI never check tokens, and may start before the migrations.
   */
  warm(): void;
  /** Readiness: which store this is, and whether it answers now. */
  readonly source: 'redis' | 'memory';
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Without Redis the API is one process (ADR 0020), so every denial in force passes through it: copied
 * from the database once, on first use, then added as this process denies. It says "not denied" only
 * once the copy has succeeded; until then (while it runs, or with the database down) the database
 * answers, and a failed copy is retried on the next check. Entries go once their token has expired.
 */
export class MemoryDenyCache implements DenyCache {
  private readonly logger = new Logger('MemoryDenyCache');
  readonly source = 'memory';
  /** jti → expiry in epoch ms. */
  private readonly denied = new Map<string, number>();
  private filled = false;
  private filling: Promise<void> | null = null;

  constructor(
    private readonly loadLive: () => Promise<Array<{ id: string; expiresAt: Date }>>,
    private readonly clock: Clock,
  ) {}

  add(jti: string, expiresAt: Date): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [known, until] of this.denied) if (until <= now) this.denied.delete(known);
    if (expiresAt.getTime() > now) this.denied.set(jti, expiresAt.getTime());
    return Promise.resolve();
  }

  lookup(jti: string): Promise<boolean | null> {
    const until = this.denied.get(jti);
    if (until !== undefined && until > this.clock.now().getTime()) return Promise.resolve(true);
    if (this.filled) return Promise.resolve(false);
    this.warm();
    return Promise.resolve(null);
  }

  /** Readiness: copies the denials if that has not happened yet, then says whether it holds them. */
  async ping(): Promise<boolean> {
    this.warm();
    await this.filling;
    return this.filled;
  }

  async close(): Promise<void> {
    await this.filling;
  }

  warm(): void {
    if (this.filling || this.filled) return;
    this.filling = this.loadLive()
      .then((rows) => {
        // Merged, not replaced: a denial added while the copy was read is kept.
        for (const row of rows)
          this.denied.set(row.id, Math.max(row.expiresAt.getTime(), this.denied.get(row.id) ?? 0));
        this.filled = true;
      })
      .catch((error: unknown) => this.logger.warn(`Copying the deny-list failed: ${String(error)}`))
      .finally(() => (this.filling = null));
  }
}

/**
 * Redis in front of the database's deny-list, so most checks cost no SQL. Redis can say "denied" any
 * time; it may say "not denied" only while it holds every denial still in force: after this process
 * copied them all from the database (`fill`) over the current connection, with no write or read failed
 * since, and while the marker key is there (a flushed or replaced Redis has none). Anything else, and
 * the caller asks the database. Whoever missed a write (its Redis was down) refills before trusting again.
 */
export class RedisDenyCache implements DenyCache {
  readonly source = 'redis';
  private readonly logger = new Logger('RedisDenyCache');
  private readonly client: Redis;
  private readonly marker: string;
  /** Bumped on every connection loss or failed command: a fill started before it must not be trusted. */
  private generation = 0;
  private trusted = false;
  private filling: Promise<void> | null = null;
  /** Set by the first warm() (the first check): until then a connection does not fill. */
  private started = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly loadLive: () => Promise<Array<{ id: string; expiresAt: Date }>>,
    private readonly clock: Clock,
  ) {
    this.marker = `${prefix}:jwt-deny:complete`;
    // No offline queue and a command timeout: a down Redis fails fast instead of holding requests.
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_TIMEOUT_MS,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (error: Error) => this.distrust(error.message));
    this.client.on('close', () => this.distrust('connection closed'));
    // Each (re)connection refills, once the deny-list has been used (see DenyCache.warm).
    this.client.on('ready', () => {
      if (this.started) this.warm();
    });
  }

  private key(jti: string): string {
    return `${this.prefix}:jwt-deny:${jti}`;
  }

  /** Best effort: a failure only means this process will refill Redis before trusting it again. */
  async add(jti: string, expiresAt: Date): Promise<void> {
    const ttlMs = expiresAt.getTime() - this.clock.now().getTime();
    if (ttlMs <= 0) return;
    try {
      await this.client.set(this.key(jti), '1', 'PX', ttlMs);
    } catch (error) {
      this.distrust(String(error));
    }
  }

  /** true or false when Redis can say for sure; null when the database must answer. */
  async lookup(jti: string): Promise<boolean | null> {
    if (this.client.status !== 'ready') return null;
    try {
      const [complete, denied] = await this.client.mget(this.marker, this.key(jti));
      if (denied) return true;
      if (this.trusted && complete) return false;
      if (!complete) this.trusted = false;
    } catch (error) {
      this.distrust(String(error));
      return null;
    }
    this.warm();
    return null;
  }

  /** Answers when Redis does (readiness). */
  async ping(): Promise<boolean> {
    try {
      return this.client.status === 'ready' && (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.removeAllListeners();
    this.client.disconnect();
    await this.filling;
  }

  private distrust(reason: string): void {
    if (this.trusted) this.logger.warn(`Redis deny-list cache not trusted until refilled: ${reason}`);
    this.trusted = false;
    this.generation += 1;
  }

  warm(): void {
    this.started = true;
    if (this.filling || this.trusted || this.client.status !== 'ready') return;
    this.filling = this.fill()
      .catch((error: unknown) => this.logger.warn(`Refilling the deny-list cache failed: ${String(error)}`))
      .finally(() => (this.filling = null));
  }

  /** Copies every denial in force from the database, then sets the marker; trusted if nothing failed since. */
  private async fill(): Promise<void> {
    const generation = this.generation;
    const now = this.clock.now().getTime();
    const pipeline = this.client.multi();
    for (const row of await this.loadLive()) {
      const ttlMs = row.expiresAt.getTime() - now;
      if (ttlMs > 0) pipeline.set(this.key(row.id), '1', 'PX', ttlMs);
    }
    pipeline.set(this.marker, '1');
    const results = await pipeline.exec();
    if (!results || results.some(([error]) => error)) throw new Error('Redis refused part of the refill');
    if (generation === this.generation) this.trusted = true;
  }
}

/**
 * Access tokens refused before their expiry (logout, password change, refresh-token reuse), by `jti`.
 * The database is the source of truth; a cache sits in front: Redis (REDIS_URL) across processes, or this
 * process's memory without it. A cache that cannot say for sure sends the check to the database; when
 * neither answers, the check fails with 503: a revoked token is never let through.
 */
@Injectable()
export class AccessTokenDenyList implements OnModuleDestroy {
  private readonly logger = new Logger('AccessTokenDenyList');

  constructor(
    private readonly tokens: DeniedAccessTokensRepository,
    private readonly clock: Clock,
    private readonly cache: DenyCache,
  ) {}

  /** `expiresAt` in epoch seconds (the token's `exp`). */
  async deny(jti: string, expiresAt: number): Promise<void> {
    const until = new Date(expiresAt * 1000);
    const now = this.clock.now();
    if (until <= now) return;
    // The cache first: should the database then fail, the token is still refused wherever the cache answers.
    await this.cache.add(jti, until);
    try {
      await this.tokens.deny(jti, until, now);
    } catch (error) {
      this.logger.error(`Recording a denied token failed: ${String(error)}`);
      throw new ServiceUnavailableError(UNAVAILABLE);
    }
  }

  async isDenied(jti: string): Promise<boolean> {
    const cached = await this.cache.lookup(jti);
    if (cached !== null) return cached;
    try {
      return await this.tokens.isDenied(jti, this.clock.now());
    } catch (error) {
      if (isDatabaseBusy(error)) throw error; // answered 503 busy by the problem filter (ADR 0032)
      this.logger.error(`Checking the deny-list failed on the database too: ${String(error)}`);
      throw new ServiceUnavailableError(UNAVAILABLE);
    }
  }

  /** Readiness: which store answers the deny-list now; throws when none does. */
  @ReadinessCheck('deny_list')
  async readiness(): Promise<Record<string, string>> {
    if (await this.cache.ping()) return { source: this.cache.source };
    await this.tokens.isDenied('readiness-probe', this.clock.now());
    return this.cache.source === 'redis'
      ? { source: 'database', redis: 'unreachable' }
      : { source: 'database' };
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.close();
  }
}
