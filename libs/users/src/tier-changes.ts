import { Injectable } from '@nestjs/common';

/** A user's tier changed (profile edit or birthday); `from`/`to` may be null (no tier). */
export interface TierChanged {
  userId: string;
  from: string | null;
  to: string | null;
}

export type TierChangedHook = (event: TierChanged) => Promise<void>;

/**
 * In-transaction subscribers to tier changes: each runs inside the unit of work that changes the tier,
 * while the user's ledger lock is held, so what it moves (the user's leaderboard rollups) moves with it.
 * Users cannot depend on the modules that follow tiers; they subscribe here instead.
 */
@Injectable()
export class TierChangedHooks {
  private readonly hooks: TierChangedHook[] = [];

  subscribe(hook: TierChangedHook): void {
    this.hooks.push(hook);
  }

  async publish(event: TierChanged): Promise<void> {
    for (const hook of this.hooks) await hook(event);
  }
}

/**
 * Where the public profile reads the user's all-time rank in their tier: the leaderboards module
 * registers the reader (users cannot import leaderboards, which depends on users). Null: not ranked.
 */
@Injectable()
export class PublicRankReader {
  private reader: ((userId: string, tierCode: string) => Promise<number | null>) | null = null;

  register(reader: (userId: string, tierCode: string) => Promise<number | null>): void {
    this.reader = reader;
  }

  rankOf(userId: string, tierCode: string | null): Promise<number | null> {
    return tierCode && this.reader ? this.reader(userId, tierCode) : Promise.resolve(null);
  }
}
