import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiEndpoint,
  Authenticated,
  CurrentUser,
  IsUuidParam,
  mapPage,
  type Page,
  type Principal,
} from '@fittrack/core';
import { ActivitiesService } from './activities.service';
import {
  ACTIVITY_DETAIL_EXAMPLE,
  ACTIVITY_EXAMPLE,
  ActivityDetailResponseDto,
  ActivityResponseDto,
  ListActivitiesQueryDto,
  toActivityDetailResponse,
  toActivityResponse,
} from './dto/activities.dto';
import { ACTIVITY_SUMMARY_EXAMPLE, ActivitySummaryDto } from './dto/activity-summary.dto';

@ApiTags('activities')
@ApiBearerAuth('bearer')
@Controller('activities')
@Authenticated()
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @ApiEndpoint('List activities', {
    description: "The caller's own; admins see everyone's, or one user's with `filter[user_id]`.",
    errors: { 422: ['page must not be less than 1', 'property nope should not exist'] },
  })
  @ApiOkResponse({
    description:
      "The caller's activities (admins: everyone's, or one user's with filter[user_id]); newest first",
    example: { data: [ACTIVITY_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  async listActivities(
    @Query() query: ListActivitiesQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<ActivityResponseDto>> {
    return mapPage(await this.activities.list(query, principal), toActivityResponse);
  }

  // Before `:id`, which would otherwise take `summary` for an id.
  @Get('summary')
  @ApiEndpoint("Summarise the caller's activity", {
    description:
      'Today, this week (from Monday) and this month, by the day each record counts for (the profile zone, ' +
      'else the competition zone): steps, active minutes, workouts, points earned, what the daily cap ' +
      'still allows, and the streak of consecutive earning days ending today or yesterday.',
  })
  @ApiOkResponse({ type: ActivitySummaryDto, example: ACTIVITY_SUMMARY_EXAMPLE })
  async getActivitySummary(@CurrentUser() principal: Principal): Promise<ActivitySummaryDto> {
    return this.activities.summary(principal);
  }

  @Get(':id')
  @ApiEndpoint('Get an activity', {
    errors: { 404: "Activity not found (also for someone else's)", 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'One activity, with metrics, points_earned and how the rules price it within its day',
    type: ActivityDetailResponseDto,
    example: ACTIVITY_DETAIL_EXAMPLE,
  })
  async getActivity(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<ActivityDetailResponseDto> {
    const { activity, pay } = await this.activities.detail(id, principal);
    return toActivityDetailResponse(activity, pay);
  }
}
