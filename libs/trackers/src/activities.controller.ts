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
  ACTIVITY_EXAMPLE,
  ActivityResponseDto,
  ListActivitiesQueryDto,
  toActivityResponse,
} from './dto/activities.dto';

@ApiTags('activities')
@ApiBearerAuth('bearer')
@Controller('activities')
@Authenticated()
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @ApiEndpoint('List activities', {
    description: "The caller's own; admins see everyone's, or one user's with `filter[user_id]`.",
    errors: { 422: 'Unknown filter or sort field, bad date or paging' },
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

  @Get(':id')
  @ApiEndpoint('Get an activity', {
    errors: { 404: "Activity not found (also for someone else's)", 422: 'id must be a UUID' },
  })
  @ApiOkResponse({
    description: 'One activity, with metrics and points_earned',
    type: ActivityResponseDto,
    example: ACTIVITY_EXAMPLE,
  })
  async getActivity(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.get(id, principal));
  }
}
