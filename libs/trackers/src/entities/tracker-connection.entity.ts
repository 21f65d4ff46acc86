import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { columnTypes, SoftDeletableEntity } from '@fittrack/core';
import type { User } from '@fittrack/users';

const types = columnTypes();

export const PROVIDERS = ['fitbit', 'google_fit', 'apple_health'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const SYNC_STATUSES = ['pending', 'syncing', 'ok', 'error'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * A user's tracker, connected through Terra. Deleted connections are kept (soft delete: their activities
 * point at them), so the unique keys count live rows only (partial indexes, migration TrackerSync).
 */
@Entity('tracker_connections')
@Index('uq_tracker_connections_user_provider', ['userId', 'provider'], {
  unique: true,
  where: '"deleted_at" IS NULL',
})
@Index('ix_tracker_connections_due', ['reconnectRequired', 'lastSyncAt'])
export class TrackerConnection extends SoftDeletableEntity {
  @Index('ix_tracker_connections_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_tracker_connections_user' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  provider!: Provider;

  /** Terra's user id for this connection (moves on `user_reauth`). */
  @Index('uq_tracker_connections_terra_user', { unique: true, where: '"deleted_at" IS NULL' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  terraUserId!: string | null;

  @Column({ default: false })
  isPrimary!: boolean;

  @Index('ix_tracker_connections_sync_status')
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  syncStatus!: SyncStatus;

  /** End of the window of the last successful sync: the next one starts there. */
  @Column({ type: types.timestamp, nullable: true })
  lastSyncAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  lastManualSyncAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** Terra refused this user (401/404, deauth, access revoked): no syncs until the user reconnects. */
  @Column({ default: false })
  reconnectRequired!: boolean;

  /** Provider details from Terra (scopes, the provider's own ids), AES-256-GCM encrypted (SecretBox). */
  @Column({ type: types.text, nullable: true })
  providerDataEncrypted!: string | null;

  /** Id of the key that encrypted `providerDataEncrypted`, so keys can rotate. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  encryptionKeyId!: string | null;
}
