import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { IsSort, ListQueryDto, toLower } from '@fittrack/core';
import { ROLES, USER_STATUSES, type Role, type UserStatus } from '../entities/user.entity';
import { ALL_TIER_CODES } from '../tiers';

export class UsersFilterDto {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  /** One of the 30 tier codes or `OPEN` */
  @IsOptional()
  @IsIn(ALL_TIER_CODES)
  tier_code?: string;

  /** Exact address, case-insensitive */
  @IsOptional()
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class ListUsersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: UsersFilterDto, description: '`filter[role]=admin&filter[status]=active`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => UsersFilterDto)
  filter?: UsersFilterDto;

  @IsSort(['created_at', 'email'])
  declare sort?: string;
}
