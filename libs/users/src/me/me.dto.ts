import { ApiProperty, PickType } from '@nestjs/swagger';
import { UpdateUserDto } from '../dto/update-user.dto';

/** PUT /users/me: non-security account fields only (no role, status, email or password). */
export class UpdateMeDto extends PickType(UpdateUserDto, ['display_name']) {}

/** PUT /users/me/profile: the fields the tier is computed from, plus the user's own time zone. */
export class UpdateMyProfileDto extends PickType(UpdateUserDto, [
  'date_of_birth',
  'biological_sex',
  'fitness_level',
  'open_tier_opt_in',
  'timezone',
]) {}

/** What anyone signed in may see about another user. */
export class PublicProfileDto {
  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ example: 'Sam R.' })
  display_name!: string;

  @ApiProperty({ nullable: true, type: String, example: 'F-30-39-INT' })
  tier_code!: string | null;

  @ApiProperty({ example: 1840 })
  total_points_earned!: number;

  @ApiProperty({ example: '2026-01-02T15:04:05.000Z', description: 'When the account was created' })
  member_since!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 12,
    description: "Rank on the all-time board of the user's tier; null when not ranked (no tier, no points)",
  })
  alltime_rank!: number | null;
}
