import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, IsUuidParam, mapPage, type Page, type Principal } from '@fittrack/core';
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
  @ApiOkResponse({
    description:
      "The caller's activities (admins: everyone's, or one user's with filter[user_id]); newest first",
    example: { data: [ACTIVITY_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  @ApiUnprocessableEntityResponse({ description: 'Unknown filter or sort field, bad date or paging' })
  async list(
    @Query() query: ListActivitiesQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<ActivityResponseDto>> {
    return mapPage(await this.activities.list(query, principal), toActivityResponse);
  }

  @Get(':id')
  @ApiOkResponse({
    description: 'One activity, with metrics and points_earned',
    type: ActivityResponseDto,
    example: ACTIVITY_EXAMPLE,
  })
  @ApiNotFoundResponse({ description: "`Activity not found` (also for someone else's)" })
  async get(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.get(id, principal));
  }
}
