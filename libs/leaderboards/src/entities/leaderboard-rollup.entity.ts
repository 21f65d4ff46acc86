import { Column, Entity, PrimaryColumn } from 'typeorm';
import { columnTypes } from '@fittrack/core';

const types = columnTypes();

/**
 * One user's earning in one period (`periodKey`, see periods.ts), on the board of the tier they are in
 * now. Written in the transaction that posts the points (the ledger's points-changed hook); a tier change
 * rewrites `tierCode` on every row of the user in the transaction that changes the tier. The rank index
 * (tier_code, period_key, points DESC, reached_at, user_id) is in the migration (it needs a DESC column).
 */
@Entity('leaderboard_rollups')
export class LeaderboardRollup {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  periodKey!: string;

  /** Null while the user has no tier (profile incomplete): kept, and moved onto a board when they get one. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  tierCode!: string | null;

  /** Earning in the period (awards less activity corrections); 0 = not ranked. */
  @Column({ type: 'int' })
  points!: number;

  /** When the period total last changed: "who reached that total first". */
  @Column({ type: types.timestamp })
  reachedAt!: Date;
}
