import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, columnTypes } from '@fittrack/core';
import type { User } from '@fittrack/users';

const types = columnTypes();

/**
 * One refresh token of a login session. Rotation creates the next token in the same family; presenting a
 * token that was already rotated revokes the whole family (reuse detection).
 */
@Entity('refresh_tokens')
export class RefreshToken extends BaseEntity {
  @Index('ix_refresh_tokens_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_refresh_tokens_user' })
  user?: User;

  /** SHA-256 of the token; the token itself is never stored. */
  @Index('uq_refresh_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('ix_refresh_tokens_family')
  @Column({ type: 'varchar', length: 36 })
  familyId!: string;

  @Column({ type: types.timestamp })
  expiresAt!: Date;

  @Column({ type: types.timestamp, nullable: true })
  rotatedAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  revokedAt!: Date | null;

  /** The access token issued with this refresh token, so logout can deny it. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  accessJti!: string | null;
}
