import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, columnTypes } from '@fittrack/core';
import type { User } from '@fittrack/users';

const types = columnTypes();

export const AUTH_TOKEN_PURPOSES = ['email_verification', 'password_reset'] as const;
export type AuthTokenPurpose = (typeof AUTH_TOKEN_PURPOSES)[number];

/** Single-use emailed tokens (verification 24 h, password reset 1 h), stored hashed. */
@Entity('auth_tokens')
export class AuthToken extends BaseEntity {
  @Index('ix_auth_tokens_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_tokens_user' })
  user?: User;

  @Column({ type: 'varchar', length: 24 })
  purpose!: AuthTokenPurpose;

  @Index('uq_auth_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: types.timestamp })
  expiresAt!: Date;

  @Column({ type: types.timestamp, nullable: true })
  usedAt!: Date | null;
}
