import { Check, Column, Entity, Index, OneToOne } from 'typeorm';
import { columnTypes, SoftDeletableEntity } from '@fittrack/core';
import type { Profile } from './profile.entity';

const types = columnTypes();

export const ROLES = ['user', 'premium', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['pending', 'active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity('users')
@Check('ck_users_point_balance', '"point_balance" >= 0')
@Check('ck_users_total_points', '"total_points_earned" >= 0')
export class User extends SoftDeletableEntity {
  /** Stored lowercase and trimmed; unique case-insensitively because of that. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  passwordHash!: string;

  @Index('ix_users_role')
  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: Role;

  @Index('ix_users_status')
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: UserStatus;

  @Column({ default: false })
  emailVerified!: boolean;

  @Column({ type: types.timestamp, nullable: true })
  emailVerifiedAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  lastLoginAt!: Date | null;

  /** Failed logins in the current window; the window starts at the first failure. */
  @Column({ type: 'int', default: 0 })
  failedLoginCount!: number;

  @Column({ type: types.timestamp, nullable: true })
  failedLoginWindowStart!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  lockedUntil!: Date | null;

  /** Equals the sum of the user's ledger amounts; the ledger's balance_after tracks it. */
  @Column({ type: 'int', default: 0 })
  pointBalance!: number;

  @Column({ type: 'int', default: 0 })
  totalPointsEarned!: number;

  @OneToOne('Profile', 'user')
  profile?: Profile;
}
