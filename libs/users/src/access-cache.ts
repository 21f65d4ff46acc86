import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { type AppConfig, InjectConfig } from '@fittrack/core';
import type { User } from './entities/user.entity';

/** What the access guard checks on every request: the user still exists, is active, and their role. */
export type UserAccess = Pick<User, 'id' | 'email' | 'role' | 'status'>;

/** The longest a cached answer lives; also the bound on staleness should an invalidation get lost. */
export const ACCESS_CACHE_TTL_MS = 5_000;
/** Entries kept at most; past it the oldest go first (a Map iterates in insertion order). */
const MAX_ENTRIES = 50_000;

interface Entry {
  access: UserAccess;
  expires: number;
}

/**
 * A short in-process cache of active users' access rows, so an authenticated request costs no SQL for
 * them (ADR 0020). Every write to a user row through UsersRepository forgets the user here at once and,
 * after its unit of work commits, here again and in every other process through Redis pub/sub
 * (REDIS_URL). Fail-closed: with Redis configured the cache is only used while this process is
 * subscribed (a missed message cannot leave a stale entry: every entry is dropped when the subscription
 * drops); a read that started before an invalidation never stores its answer; refused users (suspended,
 * unverified, deleted) are never cached, so only an active user's row can be served from here, and for at
 * most ACCESS_CACHE_TTL_MS even if a publish failed.
 */
@Injectable()
export class AccessCache implements OnApplicationShutdown {
  private readonly logger = new Logger('AccessCache');
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation and subscription loss: a read started before it stores nothing. */
  private generation = 0;
  private readonly channel: string;
  private readonly subscriber: Redis | null = null;
  private readonly publisher: Redis | null = null;
  /** Without Redis this process sees every write (one API process); with Redis, while subscribed. */
  private listening: boolean;
  /** Bumped when the subscription drops, so a subscribe that raced a drop does not count. */
  private connection = 0;

  constructor(@InjectConfig() config: AppConfig) {
    this.channel = `${config.queuePrefix}:access-changed`;
    this.listening = !config.redisUrl;
    if (!config.redisUrl) return;
    const options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      autoResubscribe: false,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    this.publisher = new Redis(config.redisUrl, options);
    this.publisher.on('error', () => undefined); // a failed publish is logged where it happens
    this.subscriber = new Redis(config.redisUrl, options);
    this.subscriber.on('message', (channel: string, userId: string) => {
      if (channel === this.channel) this.forget(userId);
    });
    this.subscriber.on('ready', () => void this.subscribe());
    // A connection error is followed by 'close'; only a closed connection can miss a message.
    this.subscriber.on('error', () => undefined);
    for (const event of ['close', 'end']) this.subscriber.on(event, () => this.deafen());
  }

  /** The user's access row: from the cache when it may answer, else `load` (and cached if active). */
  async read(userId: string, load: () => Promise<UserAccess | null>): Promise<UserAccess | null> {
    const now = performance.now();
    const entry = this.entries.get(userId);
    if (entry && entry.expires > now && this.listening) return entry.access;
    const generation = this.generation;
    const access = await load();
    if (access?.status === 'active' && this.listening && generation === this.generation) {
      this.entries.delete(userId);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(userId, { access, expires: performance.now() + ACCESS_CACHE_TTL_MS });
    }
    return access;
  }

  /** This process forgets the user (and stores no answer read before now). */
  forget(userId: string): void {
    this.generation += 1;
    this.entries.delete(userId);
  }

  /** Every API process forgets the user; call once the change is committed. Best effort: see the class. */
  async forgetEverywhere(userId: string): Promise<void> {
    this.forget(userId);
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, userId);
    } catch (error) {
      this.logger.warn(
        `Telling other processes that user ${userId}'s access changed failed; ` +
          `their cache lets it lapse within ${ACCESS_CACHE_TTL_MS} ms: ${String(error)}`,
      );
    }
  }

  private async subscribe(): Promise<void> {
    const connection = this.connection;
    try {
      await this.subscriber!.subscribe(this.channel);
    } catch (error) {
      this.logger.warn(`Subscribing to access changes failed, reconnecting: ${String(error)}`);
      this.subscriber!.disconnect(true);
      return;
    }
    // Dropped again meanwhile: the next 'ready' subscribes anew. A read begun before now (when messages
    // could be missed) stores nothing.
    if (connection !== this.connection) return;
    this.generation += 1;
    this.listening = true;
  }

  private deafen(): void {
    if (this.listening) this.logger.warn('Access cache off until Redis answers again');
    this.listening = false;
    this.connection += 1;
    this.generation += 1;
    this.entries.clear();
  }

  onApplicationShutdown(): void {
    for (const client of [this.subscriber, this.publisher]) {
      client?.removeAllListeners();
      client?.disconnect();
    }
  }
}
