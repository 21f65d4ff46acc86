import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, Authenticated, CurrentUser, type Principal } from '@fittrack/core';
import { LeaderboardsService, NO_TIER } from './leaderboards.service';
import { LeaderboardRateLimit } from './rate-limit';
import {
  BOARD_EXAMPLE,
  BoardPeriodDto,
  BoardQueryDto,
  BoardResponseDto,
  PeriodParamDto,
  toBoardResponse,
} from './dto/leaderboard.dto';

const iso = (at: Date | null) => at?.toISOString() ?? null;

@ApiTags('leaderboards')
@Controller('leaderboards')
@Authenticated()
@UseGuards(LeaderboardRateLimit)
export class LeaderboardsController {
  constructor(private readonly leaderboards: LeaderboardsService) {}

  @Get()
  @ApiEndpoint('List leaderboard periods', {
    description: "Each board's current period in the competition time zone, and when it resets.",
    errors: { 429: 'Too many leaderboard requests, slow down' },
  })
  @ApiOkResponse({
    type: [BoardPeriodDto],
    example: [
      {
        period: 'weekly',
        period_start: '2026-01-12T05:00:00.000Z',
        period_end: '2026-01-19T05:00:00.000Z',
        next_reset_at: '2026-01-19T05:00:00.000Z',
      },
    ],
  })
  listLeaderboards(): BoardPeriodDto[] {
    return this.leaderboards.windows().map((window) => ({
      period: window.period,
      period_start: iso(window.start),
      period_end: iso(window.end),
      next_reset_at: iso(window.nextResetAt),
    }));
  }

  @Get(':period')
  @ApiEndpoint('Get a leaderboard', {
    description:
      'The current period of a board: a page of the ranking (points, then who reached that total first, ' +
      "then user id), the caller's position and the ranks around it. Default tier: the caller's.",
    errors: {
      422: [
        NO_TIER,
        'period must be one of: daily, weekly, monthly, alltime',
        'tier must be one of the 30 tier codes or OPEN',
      ],
      429: 'Too many leaderboard requests, slow down',
    },
  })
  @ApiOkResponse({ type: BoardResponseDto, example: BOARD_EXAMPLE })
  async getLeaderboard(
    @Param() { period }: PeriodParamDto,
    @Query() query: BoardQueryDto,
    @CurrentUser() principal: Principal,
  ): Promise<BoardResponseDto> {
    return toBoardResponse(
      await this.leaderboards.board(period, query.tier, query.page, query.per_page, principal),
    );
  }
}
