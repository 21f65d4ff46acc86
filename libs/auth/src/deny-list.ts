import { Injectable, OnModuleDestroy } from '@nestjs/common';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { Clock } from '@fittrack/core';

/**
 * Access tokens refused before their expiry (logout, password change, refresh-token reuse), by `jti`.
 * Entries only need to live until the token would have expired anyway.
 */
export abstract class AccessTokenDenyList {
  /** `expiresAt` in epoch seconds (the token's `exp`). */
  abstract deny(jti: string, expiresAt: number): Promise<void>;
  abstract isDenied(jti: string): Promise<boolean>;
  abstract close(): Promise<void>;
}

/** One process (embedded mode, tests). Expired entries are pruned as new ones arrive. */
@Injectable()
export class MemoryDenyList extends AccessTokenDenyList {
  private readonly entries = new Map<string, number>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async deny(jti: string, expiresAt: number): Promise<void> {
    const now = this.clock.now().getTime() / 1000;
    for (const [key, until] of this.entries) if (until <= now) this.entries.delete(key);
    if (expiresAt > now) this.entries.set(jti, expiresAt);
  }

  async isDenied(jti: string): Promise<boolean> {
    const until = this.entries.get(jti);
    return until !== undefined && until > this.clock.now().getTime() / 1000;
  }

  async close(): Promise<void> {}
}

/** Shared by every API instance through Redis; Redis expires each entry with the token. */
export class RedisDenyList extends AccessTokenDenyList implements OnModuleDestroy {
  private readonly store: Keyv<boolean>;

  constructor(
    redisUrl: string,
    private readonly clock: Clock,
  ) {
    super();
    this.store = new Keyv<boolean>({ store: new KeyvRedis(redisUrl), namespace: 'fittrack:jwt-deny' });
  }

  async deny(jti: string, expiresAt: number): Promise<void> {
    const ttlMs = Math.ceil(expiresAt * 1000 - this.clock.now().getTime());
    if (ttlMs > 0) await this.store.set(jti, true, ttlMs);
  }

  async isDenied(jti: string): Promise<boolean> {
    return (await this.store.get(jti)) === true;
  }

  async close(): Promise<void> {
    await this.store.disconnect();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
