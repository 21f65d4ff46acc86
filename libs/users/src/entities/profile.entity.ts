import { Column, Entity, Index, JoinColumn, OneToOne } from 'typeorm';
import { columnTypes, MutableEntity } from '@fittrack/core';
import type { User } from './user.entity';

const types = columnTypes();

export const BIOLOGICAL_SEXES = ['male', 'female'] as const;
export type BiologicalSex = (typeof BIOLOGICAL_SEXES)[number];
export const FITNESS_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type FitnessLevel = (typeof FITNESS_LEVELS)[number];

@Entity('profiles')
export class Profile extends MutableEntity {
  @Index('uq_profiles_user', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @OneToOne('User', 'profile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_profiles_user' })
  user?: User;

  @Column({ type: 'varchar', length: 60 })
  displayName!: string;

  /** Calendar date, `YYYY-MM-DD`. */
  @Column({ type: types.date })
  dateOfBirth!: string;

  /** US state code of residence (50 states + DC). */
  @Column({ type: 'varchar', length: 2 })
  state!: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  biologicalSex!: BiologicalSex | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fitnessLevel!: FitnessLevel | null;

  @Column({ default: false })
  openTierOptIn!: boolean;

  @Column({ type: 'varchar', length: 64, default: 'America/New_York' })
  timezone!: string;

  /** `{sex}-{bracket}-{fitness}` or `OPEN`; null until sex and fitness level are known. */
  @Index('ix_profiles_tier_code')
  @Column({ type: 'varchar', length: 12, nullable: true })
  tierCode!: string | null;
}
