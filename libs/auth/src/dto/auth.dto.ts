import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, IsUsState, toLower, toUpper } from '@fittrack/core';
import { BIOLOGICAL_SEXES, type BiologicalSex, FITNESS_LEVELS, type FitnessLevel } from '@fittrack/users';
import { IsStrongPassword } from '@fittrack/core';

export class RegisterDto {
  @ApiProperty({ example: 'newuser@example.com' })
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsStrongPassword()
  password!: string;

  @ApiProperty({ example: '1990-05-17', description: 'YYYY-MM-DD; must be 18 or older' })
  @IsCalendarDate()
  date_of_birth!: string;

  @ApiProperty({ example: 'TX', description: 'US state code (50 states + DC)' })
  @Transform(toUpper)
  @IsUsState()
  state!: string;

  @ApiPropertyOptional({ example: 'Sam R.', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  display_name?: string;

  @ApiPropertyOptional({ enum: BIOLOGICAL_SEXES })
  @IsOptional()
  @IsIn(BIOLOGICAL_SEXES)
  biological_sex?: BiologicalSex;

  @ApiPropertyOptional({ enum: FITNESS_LEVELS })
  @IsOptional()
  @IsIn(FITNESS_LEVELS)
  fitness_level?: FitnessLevel;
}

export class EmailDto {
  @ApiProperty({ example: 'user@example.com' })
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class LoginDto extends EmailDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'Or send the HTTP-only `refresh_token` cookie' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refresh_token?: string;
}

export class ResetPasswordDto extends TokenDto {
  @IsStrongPassword()
  new_password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  current_password!: string;

  @IsStrongPassword()
  new_password!: string;
}

export class RegisterResponseDto {
  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ example: 'Verification email sent' })
  message!: string;
}

export class TokenPairDto {
  @ApiProperty()
  access_token!: string;

  @ApiProperty()
  refresh_token!: string;

  @ApiProperty({ example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ example: 1800 })
  expires_in!: number;

  @ApiProperty({ example: 604800 })
  refresh_expires_in!: number;
}
