import { Injectable } from '@nestjs/common';

/** What a change of a user's earnings tells the modules that follow them (leaderboards). */
export interface PointsChanged {
  userId: string;
  /** The day the points count for (the record's day, YYYY-MM-DD). */
  earnedOn: string;
  /** Signed change of the user's earnings (an award, or an activity adjust). Spending never appears here. */
  delta: number;
  /** When the total changed: "who reached that total first" on the boards. */
  at: Date;
  entryId: string;
}

export type PointsChangedHook = (event: PointsChanged) => Promise<void>;

/**
 * In-transaction subscribers to earning changes: each runs inside the unit of work that posts the ledger
 * entry, so what it writes (leaderboard rollups) commits or rolls back with the points themselves.
 */
@Injectable()
export class PointsChangedHooks {
  private readonly hooks: PointsChangedHook[] = [];

  subscribe(hook: PointsChangedHook): void {
    this.hooks.push(hook);
  }

  async publish(event: PointsChanged): Promise<void> {
    for (const hook of this.hooks) await hook(event);
  }
}
