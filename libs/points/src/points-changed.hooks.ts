import { Injectable } from '@nestjs/common';

/** What a change of a user's earnings tells the modules that follow them (leaderboards). */
export interface PointsChanged {
  userId: string;
  /** The tier whose boards the user's earning counts on (null: none, or the account is deleted). */
  tierCode: string | null;
  /** The day the points count for (the record's day, YYYY-MM-DD). */
  earnedOn: string;
  /**
   * Signed change of the user's earnings for that day in one posting (the sum of its awards and activity
   * adjusts). Spending never appears here.
   */
  delta: number;
  /** When the total changed: "who reached that total first" on the boards. */
  at: Date;
}

/** One posting's changes: one event per (user, day) it earned on. */
export type PointsChangedHook = (events: readonly PointsChanged[]) => Promise<void>;

/**
 * In-transaction subscribers to earning changes: each runs inside the unit of work that posts the ledger
 * entries, so what it writes (leaderboard rollups) commits or rolls back with the points themselves.
 */
@Injectable()
export class PointsChangedHooks {
  private readonly hooks: PointsChangedHook[] = [];

  subscribe(hook: PointsChangedHook): void {
    this.hooks.push(hook);
  }

  async publish(events: readonly PointsChanged[]): Promise<void> {
    if (!events.length) return;
    for (const hook of this.hooks) await hook(events);
  }
}
