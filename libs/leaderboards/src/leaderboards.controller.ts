import { applyDecorators, Controller, Get, Header, Param, Req, type Type, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiEndpoint, Authenticated, CurrentUser, type Principal } from '@fittrack/core';
import { LeaderboardsService, NO_TIER } from './leaderboards.service';
import { LeaderboardRateLimit } from './rate-limit';
import { BoardRequests } from './dto/board-request';
import {
  BOARD_EXAMPLE,
  boardBody,
  BoardPeriodDto,
  BoardQueryDto,
  BoardResponseDto,
  PeriodParamDto,
} from './dto/leaderboard.dto';

/**
 * A DTO's properties documented as path or query parameters, as a parameter of the DTO's type documents
 * them (its @ApiProperty metadata, property by property, under @nestjs/swagger's metadata keys): the
 * property's options become the parameter's schema, examples included (each needs an explicit `type`).
 */
function ApiParamsOf(where: 'path' | 'query', dto: Type): MethodDecorator {
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) as string[]).map(
    (name) => name.slice(1), // stored as ':name'
  );
  return applyDecorators(
    ...names.map((name) => {
      const {
        required,
        description,
        isArray: _isArray,
        ...schema
      } = Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, name) as {
        required?: boolean;
        description?: string;
        isArray?: boolean;
      } & ParamSchema;
      const options = { name, required, description, schema };
      return where === 'path' ? ApiParam(options) : ApiQuery(options);
    }),
  );
}

type ParamSchema = Extract<Parameters<typeof ApiParam>[0], { schema: unknown }>['schema'];

const iso = (at: Date | null) => at?.toISOString() ?? null;

@ApiTags('leaderboards')
@Controller('leaderboards')
@Authenticated()
@UseGuards(LeaderboardRateLimit)
export class LeaderboardsController {
  private readonly requests = new BoardRequests();

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
  // The DTOs document the period and the query; BoardRequests validates against them once per distinct
  // request line (the parameters' plain types keep the global ValidationPipe from doing it each time).
  @ApiParamsOf('path', PeriodParamDto)
  @ApiParamsOf('query', BoardQueryDto)
  // The body is assembled from cached JSON text (boardBody): sent as is, with res.json's content type.
  @Header('Content-Type', 'application/json; charset=utf-8')
  async getLeaderboard(
    @Param('period') period: string,
    @Req() request: Request,
    @CurrentUser() principal: Principal,
  ): Promise<string> {
    const at = request.url.indexOf('?');
    const valid = await this.requests.parse(
      period,
      at < 0 ? '' : request.url.slice(at + 1),
      () => request.query,
    );
    return boardBody(
      await this.leaderboards.board(
        valid.period,
        valid.query.tier,
        valid.query.page,
        valid.query.per_page,
        principal,
      ),
    );
  }
}
