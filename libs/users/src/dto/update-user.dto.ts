import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, IsTimeZone, Length, ValidateIf } from 'class-validator';
import { IsCalendarDate, ifPresent, IsUsState, toUpper, trim } from '@fittrack/core';
import {
  BIOLOGICAL_SEXES,
  FITNESS_LEVELS,
  type BiologicalSex,
  type FitnessLevel,
} from '../entities/profile.entity';
import { ROLES, USER_STATUSES, type Role, type UserStatus } from '../entities/user.entity';

/** Partial update; `role` and `status` are for admins only. Null clears sex / fitness level. */
export class UpdateUserDto {
  /** @example "Alex R." */
  @ValidateIf(ifPresent)
  @Transform(trim)
  @IsString()
  @Length(1, 60)
  display_name?: string;

  @ValidateIf(ifPresent)
  @IsCalendarDate()
  date_of_birth?: string;

  @ValidateIf(ifPresent)
  @Transform(toUpper)
  @IsUsState()
  state?: string;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(BIOLOGICAL_SEXES)
  biological_sex?: BiologicalSex | null;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(FITNESS_LEVELS)
  fitness_level?: FitnessLevel | null;

  @ValidateIf(ifPresent)
  @IsBoolean()
  open_tier_opt_in?: boolean;

  /** IANA zone @example "America/Chicago" */
  @ValidateIf(ifPresent)
  @IsTimeZone()
  timezone?: string;

  /** Admin only */
  @ValidateIf(ifPresent)
  @IsIn(ROLES)
  role?: Role;

  /** Admin only */
  @ValidateIf(ifPresent)
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}
