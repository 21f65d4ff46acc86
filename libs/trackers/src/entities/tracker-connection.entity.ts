import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { columnTypes, SoftDeletableEntity } from '@fittrack/core';
import type { User } from '@fittrack/users';

const types = columnTypes();

export const PROVIDERS = ['fitbit', 'google_fit', 'apple_health'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const SYNC_STATUSES = ['pending', 'syncing', 'ok', 'error'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

@Entity('tracker_connections')
@Index('uq_tracker_connections_user_provider', ['userId', 'provider'], { unique: true })
export class TrackerConnection extends SoftDeletableEntity {
  @Index('ix_tracker_connections_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_tracker_connections_user' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  provider!: Provider;

  /** Terra's user id for this connection. */
  @Index('uq_tracker_connections_terra_user', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  terraUserId!: string | null;

  @Column({ default: false })
  isPrimary!: boolean;

  @Index('ix_tracker_connections_sync_status')
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  syncStatus!: SyncStatus;

  @Column({ type: types.timestamp, nullable: true })
  lastSyncAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  lastManualSyncAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}
