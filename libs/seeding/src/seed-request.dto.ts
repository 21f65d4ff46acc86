import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Limits for seeding over HTTP (the CLI takes any size). */
export const SEED_HTTP_LIMITS = { users: 5000, activities: 50_000, drawings: 100 } as const;

export class SeedRequestDto {
  /** Users to create (about one in seven is an admin, at most 10). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SEED_HTTP_LIMITS.users)
  users?: number;

  /** Activities, spread over the non-admin users. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SEED_HTTP_LIMITS.activities)
  activities?: number;

  /** Drawings; ten cover every type and status. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SEED_HTTP_LIMITS.drawings)
  drawings?: number;

  /** The same seed on the same day gives the same data. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  random_seed?: number;
}

export class SeedResponseDto {
  /** Rows created per entity. */
  counts!: Record<string, number>;
  random_seed!: number;
  /** The instant generated times are relative to. */
  reference_time!: string;
  duration_ms!: number;
}
