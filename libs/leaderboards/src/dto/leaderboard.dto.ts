import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE, MAX_PER_PAGE } from '@fittrack/core';
import { ALL_TIER_CODES } from '@fittrack/users';
import { PERIODS, type Period } from '../periods';
import type { BoardView, Ranking } from '../leaderboards.service';

export class PeriodParamDto {
  @ApiProperty({ enum: PERIODS, example: 'weekly' })
  @IsIn(PERIODS, { message: `period must be one of: ${PERIODS.join(', ')}` })
  period!: Period;
}

export class BoardQueryDto {
  @ApiPropertyOptional({
    enum: ALL_TIER_CODES,
    description: "Any of the 30 tiers or OPEN; default: the caller's tier",
    example: 'M-30-39-INT',
  })
  @IsOptional()
  @IsIn(ALL_TIER_CODES, { message: 'tier must be one of the 30 tier codes or OPEN' })
  tier?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: 100, example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  per_page: number = 100;
}

export class RankingDto {
  @ApiProperty({ example: 1 })
  rank!: number;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ example: 'Robin R.' })
  display_name!: string;

  @ApiProperty({ example: 'M-30-39-INT' })
  tier_code!: string;

  @ApiProperty({ example: 4500 })
  points!: number;
}

export class MyPositionDto {
  @ApiProperty({ example: 45 })
  rank!: number;

  @ApiProperty({ example: 1420 })
  points!: number;
}

class BoardMetaDto {
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 100 }) per_page!: number;
  @ApiProperty({ example: 500 }) total!: number;
  @ApiProperty({ example: 5 }) total_pages!: number;
}

export class BoardResponseDto {
  @ApiProperty({ enum: PERIODS }) period!: Period;
  @ApiProperty({ example: 'M-30-39-INT' }) tier_code!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for all-time' }) period_start!:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null for all-time' }) period_end!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the board starts over; null for all-time' })
  next_reset_at!: string | null;
  @ApiProperty() generated_at!: string;
  @ApiProperty({ description: 'Users ranked (0 points: not ranked); = meta.total' }) total_users!: number;
  @ApiProperty({ type: [RankingDto] }) rankings!: RankingDto[];
  @ApiProperty({
    type: MyPositionDto,
    nullable: true,
    description: 'null when the caller is not ranked here',
  })
  my_position!: MyPositionDto | null;
  @ApiProperty({ type: [RankingDto], description: 'Ranks my_rank-10 .. my_rank+10; empty when not ranked' })
  around_me!: RankingDto[];
  @ApiProperty({ type: BoardMetaDto }) meta!: BoardMetaDto;
}

export class BoardPeriodDto {
  @ApiProperty({ enum: PERIODS }) period!: Period;
  @ApiProperty({ nullable: true, type: String }) period_start!: string | null;
  @ApiProperty({ nullable: true, type: String }) period_end!: string | null;
  @ApiProperty({ nullable: true, type: String }) next_reset_at!: string | null;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/**
 * Ranking rows as they appear in the body (RankingDto), each serialised on its own: cached boards keep
 * their rows as JSON text, so a read joins them instead of mapping and serialising every row again.
 */
export function rankingsJson(rankings: readonly Ranking[], tierCode: string): string[] {
  return rankings.map((ranking) => {
    const row: RankingDto = {
      rank: ranking.rank,
      user_id: ranking.userId,
      display_name: ranking.displayName,
      tier_code: tierCode,
      points: ranking.points,
    };
    return JSON.stringify(row);
  });
}

/** A JSON array of rows serialised by `rankingsJson`. */
export const jsonArray = (rows: readonly string[]): string => `[${rows.join(',')}]`;

/**
 * The body of `GET /leaderboards/{period}` (BoardResponseDto, fields in its order) with the rankings and
 * around_me already JSON text: the same bytes as serialising the whole response object, without
 * walking the rows again (docs/benchmarks.md, Leaderboards).
 */
export function boardBody(view: BoardView): string {
  const head: Omit<BoardResponseDto, 'rankings' | 'my_position' | 'around_me' | 'meta'> = {
    period: view.window.period,
    tier_code: view.tierCode,
    period_start: iso(view.window.start),
    period_end: iso(view.window.end),
    next_reset_at: iso(view.window.nextResetAt),
    generated_at: view.generatedAt.toISOString(),
    total_users: view.total,
  };
  const myPosition: MyPositionDto | null = view.myPosition && {
    rank: view.myPosition.rank,
    points: view.myPosition.points,
  };
  const meta: BoardMetaDto = {
    page: view.page,
    per_page: view.perPage,
    total: view.total,
    total_pages: Math.ceil(view.total / view.perPage),
  };
  return (
    `${JSON.stringify(head).slice(0, -1)},"rankings":${view.rankingsJson},` +
    `"my_position":${JSON.stringify(myPosition)},"around_me":${view.aroundMeJson},"meta":${JSON.stringify(meta)}}`
  );
}

export const BOARD_EXAMPLE: BoardResponseDto = {
  period: 'weekly',
  tier_code: 'M-30-39-INT',
  period_start: '2026-01-12T05:00:00.000Z',
  period_end: '2026-01-19T05:00:00.000Z',
  next_reset_at: '2026-01-19T05:00:00.000Z',
  generated_at: '2026-01-16T21:00:00.000Z',
  total_users: 500,
  rankings: [
    {
      rank: 1,
      user_id: '550e8400-e29b-41d4-a716-446655440000',
      display_name: 'Robin R.',
      tier_code: 'M-30-39-INT',
      points: 4500,
    },
  ],
  my_position: { rank: 45, points: 1420 },
  around_me: [
    {
      rank: 45,
      user_id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      display_name: 'Sam P.',
      tier_code: 'M-30-39-INT',
      points: 1420,
    },
  ],
  meta: { page: 1, per_page: 100, total: 500, total_pages: 5 },
};
