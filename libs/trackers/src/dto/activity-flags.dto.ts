import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsSort, ListQueryDto } from '@fittrack/core';
import {
  FLAG_STATUSES,
  type ActivityFlag,
  type FlagReason,
  type FlagStatus,
} from '../entities/activity-flag.entity';
import { ACTIVITY_EXAMPLE, type ActivityResponseDto, toActivityResponse } from './activities.dto';

export class ActivityFlagsFilterDto {
  @IsOptional()
  @IsIn(FLAG_STATUSES)
  status?: FlagStatus;
}

export class ListActivityFlagsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: ActivityFlagsFilterDto, description: '`filter[status]=open`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActivityFlagsFilterDto)
  filter?: ActivityFlagsFilterDto;

  @IsSort(['created_at'])
  declare sort?: string;
}

export class ActivityFlagResponseDto {
  id!: string;
  activity_id!: string;
  user_id!: string;
  status!: FlagStatus;
  reasons!: FlagReason[];
  decided_by!: string | null;
  decided_at!: string | null;
  created_at!: string;
  activity!: ActivityResponseDto | null;
}

export function toActivityFlagResponse(flag: ActivityFlag): ActivityFlagResponseDto {
  return {
    id: flag.id,
    activity_id: flag.activityId,
    user_id: flag.userId,
    status: flag.status,
    reasons: flag.reasons,
    decided_by: flag.decidedBy,
    decided_at: flag.decidedAt ? new Date(flag.decidedAt).toISOString() : null,
    created_at: new Date(flag.createdAt).toISOString(),
    activity: flag.activity ? toActivityResponse(flag.activity) : null,
  };
}

export const ACTIVITY_FLAG_EXAMPLE: ActivityFlagResponseDto = {
  id: '0b8f3c1e-2d4a-4e5f-8a9b-1c2d3e4f5a6b',
  activity_id: ACTIVITY_EXAMPLE.id,
  user_id: ACTIVITY_EXAMPLE.user_id,
  status: 'open',
  reasons: [{ code: 'steps_per_day', detail: '75000 steps in a day (limit 60000)' }],
  decided_by: null,
  decided_at: null,
  created_at: '2026-01-16T12:31:00.000Z',
  activity: { ...ACTIVITY_EXAMPLE, points_earned: 0 },
};
