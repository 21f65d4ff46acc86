import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { columnTypes, MutableEntity } from '@fittrack/core';
import type { User } from '@fittrack/users';
import type { Activity } from './activity.entity';

const types = columnTypes();

export const FLAG_STATUSES = ['open', 'approved', 'rejected'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** Why a record was held, one sentence per rule it broke (points-rules `implausibleReasons`). */
export interface FlagReason {
  code: string;
  detail: string;
}

/** An implausible activity waiting for (or decided by) an admin. One per activity; a decision is final. */
@Entity('activity_flags')
@Index('ix_activity_flags_status', ['status', 'createdAt'])
export class ActivityFlag extends MutableEntity {
  @Index('uq_activity_flags_activity', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  activityId!: string;

  @ManyToOne('Activity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id', foreignKeyConstraintName: 'fk_activity_flags_activity' })
  activity?: Activity;

  @Index('ix_activity_flags_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_activity_flags_user' })
  user?: User;

  @Column({ type: types.json })
  reasons!: FlagReason[];

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: FlagStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  decidedBy!: string | null;

  @Column({ type: types.timestamp, nullable: true })
  decidedAt!: Date | null;
}
