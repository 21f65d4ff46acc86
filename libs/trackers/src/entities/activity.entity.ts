import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { columnTypes, MutableEntity } from '@fittrack/core';
import type { User } from '@fittrack/users';
import type { Provider, TrackerConnection } from './tracker-connection.entity';

const types = columnTypes();

export const ACTIVITY_TYPES = ['steps', 'workout', 'active_minutes'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const INTENSITIES = ['light', 'moderate', 'vigorous'] as const;
export type Intensity = (typeof INTENSITIES)[number];
/** How the tracker got the data: Terra upload_type 2 is `manual` (earns 0). */
export const UPLOAD_SOURCES = ['automatic', 'manual'] as const;
export type UploadSource = (typeof UPLOAD_SOURCES)[number];
/** Implausible records wait (`pending`) for an admin; `none` when never held. */
export const REVIEW_STATUSES = ['none', 'pending', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * Tracker data as normalised from Terra. The figures the engine pays by (steps, light/moderate/vigorous
 * minutes, cheat_detection) stay in `metrics` rather than columns: the API already returns them there,
 * the steps index reads them there, and the engine always loads whole rows of one user's day anyway.
 */
export interface ActivityMetrics {
  steps?: number;
  distance_meters?: number;
  calories?: number;
  active_minutes?: number;
  light_minutes?: number;
  moderate_minutes?: number;
  vigorous_minutes?: number;
  avg_heart_rate?: number;
  max_heart_rate?: number;
  workout_name?: string;
  /** Terra's anti-cheat signal: anything but 0 holds the record for review. */
  cheat_detection?: number;
  [key: string]: number | string | undefined;
}

@Entity('activities')
@Index('uq_activities_source', ['userId', 'provider', 'externalId'], { unique: true })
@Index('ix_activities_user_start', ['userId', 'startTime'])
@Index('ix_activities_type_start', ['activityType', 'startTime'])
@Index('ix_activities_user_day', ['userId', 'day'])
export class Activity extends MutableEntity {
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_activities_user' })
  user?: User;

  /** The connection it came from; kept (null) when the connection is deleted. */
  @Index('ix_activities_connection')
  @Column({ type: 'varchar', length: 36, nullable: true })
  connectionId!: string | null;

  @ManyToOne('TrackerConnection', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_activities_connection' })
  connection?: TrackerConnection;

  @Column({ type: 'varchar', length: 16 })
  provider!: Provider;

  /** Terra's summary_id for workouts, `daily:YYYY-MM-DD:steps` / `daily:YYYY-MM-DD:active_minutes` for day totals. */
  @Column({ type: 'varchar', length: 128 })
  externalId!: string;

  @Column({ type: 'varchar', length: 16 })
  activityType!: ActivityType;

  @Column({ type: types.timestamp })
  startTime!: Date;

  @Column({ type: types.timestamp })
  endTime!: Date;

  @Column({ type: 'int', default: 0 })
  durationMinutes!: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  intensity!: Intensity | null;

  @Column({ type: types.json })
  metrics!: ActivityMetrics;

  /** Points actually awarded (after multiplier, bonus and daily cap). */
  @Column({ type: 'int', default: 0 })
  pointsEarned!: number;

  /** A non-primary tracker's record overlapping the primary's: kept, pays nothing. */
  @Column({ default: false })
  isDuplicate!: boolean;

  @Column({ type: types.timestamp, nullable: true })
  processedAt!: Date | null;

  /**
   * The day it counts for (YYYY-MM-DD, `recordDay`): the cap, bonuses, streaks and boards group by it.
   * Always set by ingestion; the column is nullable only for the migration's backfill of older rows.
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  day!: string;

  /** A daily total's own date, as the tracker gave it. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  localDate!: string | null;

  /** The UTC offset of the tracker's start time, when it gave one. */
  @Column({ type: 'int', nullable: true })
  utcOffsetMinutes!: number | null;

  /** The multiplier kept from when the record was first stored, in percent (120 = 1.2) so it stays exact. */
  @Column({ type: 'int', default: 100 })
  multiplierPct!: number;

  @Column({ type: 'varchar', length: 10, default: 'automatic' })
  uploadSource!: UploadSource;

  @Column({ type: 'varchar', length: 10, default: 'none' })
  reviewStatus!: ReviewStatus;

  /** The tracker withdrew it (Terra upload_type 4): kept, pays nothing. */
  @Column({ default: false })
  isWithdrawn!: boolean;

  /** Ledger entries posted for this record so far: makes each posting's idempotency key unique. */
  @Column({ type: 'int', default: 0 })
  payments!: number;
}
