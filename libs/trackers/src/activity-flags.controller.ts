import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiEndpoint,
  CurrentUser,
  IsUuidParam,
  mapPage,
  type Page,
  type Principal,
  Roles,
} from '@fittrack/core';
import { ActivityFlagsService } from './activity-flags.service';
import {
  ACTIVITY_FLAG_EXAMPLE,
  ActivityFlagResponseDto,
  ListActivityFlagsQueryDto,
  toActivityFlagResponse,
} from './dto/activity-flags.dto';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/activity-flags')
export class ActivityFlagsController {
  constructor(private readonly flags: ActivityFlagsService) {}

  @Get()
  @ApiEndpoint('Activities held for review (admin)', {
    description: 'Implausible activities, newest first, with their reasons and the activity.',
    errors: { 422: 'Unknown filter or sort field' },
  })
  @ApiOkResponse({
    description: 'Flags, newest first',
    example: { data: [ACTIVITY_FLAG_EXAMPLE], meta: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
  })
  async listActivityFlags(
    @Query() query: ListActivityFlagsQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<Page<ActivityFlagResponseDto>> {
    return mapPage(await this.flags.list(query, principal), toActivityFlagResponse);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiEndpoint('Approve a held activity (admin)', {
    description: "The activity is paid as if it had just arrived: its day's rules and cap apply. Final.",
    errors: { 404: 'Activity flag not found', 409: 'Flag already approved' },
  })
  @ApiOkResponse({ type: ActivityFlagResponseDto, example: { ...ACTIVITY_FLAG_EXAMPLE, status: 'approved' } })
  async approveActivityFlag(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<ActivityFlagResponseDto> {
    return toActivityFlagResponse(await this.flags.approve(id, principal));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiEndpoint('Reject a held activity (admin)', {
    description: 'The activity stays at 0 points. Final.',
    errors: { 404: 'Activity flag not found', 409: 'Flag already rejected' },
  })
  @ApiOkResponse({ type: ActivityFlagResponseDto, example: { ...ACTIVITY_FLAG_EXAMPLE, status: 'rejected' } })
  async rejectActivityFlag(
    @Param('id', IsUuidParam) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<ActivityFlagResponseDto> {
    return toActivityFlagResponse(await this.flags.reject(id, principal));
  }
}
