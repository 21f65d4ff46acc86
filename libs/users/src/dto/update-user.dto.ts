import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, IsTimeZone, Length, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsUsState } from '@fittrack/core';
import {
  BIOLOGICAL_SEXES,
  FITNESS_LEVELS,
  type BiologicalSex,
  type FitnessLevel,
} from '../entities/profile.entity';
import { ROLES, USER_STATUSES, type Role, type UserStatus } from '../entities/user.entity';
import { trim, upper } from './transforms';

const present = (_: object, value: unknown) => value !== undefined;

/** Partial update; `role` and `status` are for admins only. Null clears sex / fitness level. */
export class UpdateUserDto {
  /** @example "Alex R." */
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @Length(1, 60)
  display_name?: string;

  @ValidateIf(present)
  @IsCalendarDate()
  date_of_birth?: string;

  @ValidateIf(present)
  @Transform(upper)
  @IsUsState()
  state?: string;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(BIOLOGICAL_SEXES)
  biological_sex?: BiologicalSex | null;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(FITNESS_LEVELS)
  fitness_level?: FitnessLevel | null;

  @ValidateIf(present)
  @IsBoolean()
  open_tier_opt_in?: boolean;

  /** IANA zone @example "America/Chicago" */
  @ValidateIf(present)
  @IsTimeZone()
  timezone?: string;

  /** Admin only */
  @ValidateIf(present)
  @IsIn(ROLES)
  role?: Role;

  /** Admin only */
  @ValidateIf(present)
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}
