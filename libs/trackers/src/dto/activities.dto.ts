import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsSort, ListQueryDto } from '@fittrack/core';
import type { RecordPay } from '@fittrack/points';
import {
  ACTIVITY_TYPES,
  type ActivityMetrics,
  type ActivityType,
  type Activity,
} from '../entities/activity.entity';

export class ActivitiesFilterDto {
  @IsOptional()
  @IsIn(ACTIVITY_TYPES)
  activity_type?: ActivityType;

  /** First day (inclusive), competition time zone @example "2026-01-01" */
  @IsOptional()
  @IsCalendarDate()
  start_date?: string;

  /** Last day (inclusive), competition time zone @example "2026-01-31" */
  @IsOptional()
  @IsCalendarDate()
  end_date?: string;

  /** Admin only: another user's activities */
  @IsOptional()
  @IsUUID('all')
  user_id?: string;
}

export class ListActivitiesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: ActivitiesFilterDto, description: '`filter[activity_type]=workout`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActivitiesFilterDto)
  filter?: ActivitiesFilterDto;

  @IsSort(['start_time', 'created_at', 'points_earned'])
  declare sort?: string;
}

export class ActivityResponseDto {
  id!: string;
  user_id!: string;
  connection_id!: string | null;
  provider!: string;
  external_id!: string;
  activity_type!: ActivityType;
  start_time!: string;
  end_time!: string;
  duration_minutes!: number;
  intensity!: string | null;
  metrics!: ActivityMetrics;
  points_earned!: number;
  is_duplicate!: boolean;
  processed_at!: string | null;
  created_at!: string;
  updated_at!: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toActivityResponse(activity: Activity): ActivityResponseDto {
  return {
    id: activity.id,
    user_id: activity.userId,
    connection_id: activity.connectionId,
    provider: activity.provider,
    external_id: activity.externalId,
    activity_type: activity.activityType,
    start_time: iso(activity.startTime)!,
    end_time: iso(activity.endTime)!,
    duration_minutes: activity.durationMinutes,
    intensity: activity.intensity,
    metrics: activity.metrics,
    points_earned: activity.pointsEarned,
    is_duplicate: Boolean(activity.isDuplicate),
    processed_at: iso(activity.processedAt),
    created_at: iso(activity.createdAt)!,
    updated_at: iso(activity.updatedAt)!,
  };
}

export const ACTIVITY_EXAMPLE: ActivityResponseDto = {
  id: '3f0e2a8c-6a1b-4d2e-9f3a-1b2c3d4e5f60',
  user_id: '550e8400-e29b-41d4-a716-446655440000',
  connection_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  provider: 'fitbit',
  external_id: 'wk_8842',
  activity_type: 'workout',
  start_time: '2026-01-16T12:00:00.000Z',
  end_time: '2026-01-16T12:30:00.000Z',
  duration_minutes: 30,
  intensity: 'vigorous',
  metrics: { calories: 310, avg_heart_rate: 148, workout_name: 'Running' },
  points_earned: 140,
  is_duplicate: false,
  processed_at: '2026-01-16T12:31:05.000Z',
  created_at: '2026-01-16T12:31:00.000Z',
  updated_at: '2026-01-16T12:31:05.000Z',
};

/** How the rules price the record within its day (libs/points rules `payDay`), for people to check it. */
export class PointsBreakdownDto {
  /** Before the multiplier (steps pay pro rata, so it may be fractional) */
  base!: number;
  /** Kept from when the record was first stored (fitness level of the tier then) */
  multiplier!: number;
  /** floor(base × multiplier) */
  multiplied!: number;
  /** Workout bonus (50 for 20+ minutes, the day's first three), never multiplied */
  bonus!: number;
  /** The daily cap took some or all of it ('Daily cap reached') */
  capped!: boolean;
  /** What the rules pay it now: multiplied + bonus, less what the cap took */
  points!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why it pays nothing, when it does not: withdrawn, duplicate, rejected, held, manual, before_connection',
  })
  no_pay_reason!: string | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { light: { type: 'number' }, moderate: { type: 'number' }, vigorous: { type: 'number' } },
    description: "Day totals: the minutes paid per intensity after the day's workouts' minutes are taken out",
  })
  paid_minutes!: { light: number; moderate: number; vigorous: number } | null;
}

export class ActivityDetailResponseDto extends ActivityResponseDto {
  @ApiProperty({
    type: PointsBreakdownDto,
    nullable: true,
    description: 'Null for a record stored before the points engine priced records by day',
  })
  points_breakdown!: PointsBreakdownDto | null;
}

export function toActivityDetailResponse(
  activity: Activity,
  pay: RecordPay | null,
): ActivityDetailResponseDto {
  return {
    ...toActivityResponse(activity),
    points_breakdown: pay && {
      base: pay.base,
      multiplier: pay.multiplier,
      multiplied: pay.multiplied,
      bonus: pay.bonus,
      capped: pay.capped,
      points: pay.points,
      no_pay_reason: pay.noPay,
      paid_minutes: pay.paidMinutes ?? null,
    },
  };
}

export const ACTIVITY_DETAIL_EXAMPLE: ActivityDetailResponseDto = {
  ...ACTIVITY_EXAMPLE,
  points_breakdown: {
    base: 90,
    multiplier: 1,
    multiplied: 90,
    bonus: 50,
    capped: false,
    points: 140,
    no_pay_reason: null,
    paid_minutes: null,
  },
};
