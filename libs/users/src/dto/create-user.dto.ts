import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsCalendarDate, IsStrongPassword, IsUsState, toLower, toUpper, trim } from '@fittrack/core';
import {
  BIOLOGICAL_SEXES,
  FITNESS_LEVELS,
  type BiologicalSex,
  type FitnessLevel,
} from '../entities/profile.entity';
import { ROLES, USER_STATUSES, type Role, type UserStatus } from '../entities/user.entity';

/** Admin creates an account (e.g. another admin); it starts active and verified. */
export class CreateUserDto {
  /** Stored lowercase and trimmed @example "new.admin@example.com" */
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** 12+ characters with upper, lower, digit and symbol @example "Str0ng!Passw0rd" */
  @IsStrongPassword()
  password!: string;

  /** @example "1990-05-20" */
  @IsCalendarDate()
  date_of_birth!: string;

  /** @example "TX" */
  @Transform(toUpper)
  @IsUsState()
  state!: string;

  /** @example "Alex" */
  @Transform(trim)
  @IsString()
  @Length(1, 60)
  display_name!: string;

  /** Default `user` */
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** Default `active` */
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @IsOptional()
  @IsIn(BIOLOGICAL_SEXES)
  biological_sex?: BiologicalSex;

  @IsOptional()
  @IsIn(FITNESS_LEVELS)
  fitness_level?: FitnessLevel;

  @IsOptional()
  @IsBoolean()
  open_tier_opt_in?: boolean;
}
