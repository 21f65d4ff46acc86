import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { columnTypes, MutableEntity } from '@fittrack/core';
import type { User } from '@fittrack/users';
import type { Provider, TrackerConnection } from './tracker-connection.entity';

const types = columnTypes();

export const ACTIVITY_TYPES = ['steps', 'workout', 'active_minutes'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const INTENSITIES = ['light', 'moderate', 'vigorous'] as const;
export type Intensity = (typeof INTENSITIES)[number];

/** Tracker data as normalised from Terra; the raw figures live in `metrics`. */
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
  [key: string]: number | string | undefined;
}

@Entity('activities')
@Index('uq_activities_source', ['userId', 'provider', 'externalId'], { unique: true })
@Index('ix_activities_user_start', ['userId', 'startTime'])
@Index('ix_activities_type_start', ['activityType', 'startTime'])
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

  /** Terra's summary_id for workouts, `daily:YYYY-MM-DD` for daily totals. */
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
}
