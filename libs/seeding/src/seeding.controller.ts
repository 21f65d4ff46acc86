import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiProblem, Roles } from '@fittrack/core';
import { SeedRequestDto, SeedResponseDto } from './seed-request.dto';
import { SeedService, type SeedOptions, type SeedResult } from './seed.service';

const SEED_RESPONSE_EXAMPLE = {
  counts: { users: 50, profiles: 50, activities: 1200, drawings: 4, prizes: 9, tickets: 310 },
  random_seed: 42,
  reference_time: '2026-01-16T12:00:00.000Z',
  duration_ms: 830,
};

/** Development tools behind the test page's Data Controls tab; answer 404 in production. */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@ApiProblem(404, 'Resource not found')
@Roles('admin')
@Controller('admin')
export class SeedingController {
  constructor(private readonly seeding: SeedService) {}

  @Post('seed')
  @HttpCode(200)
  @ApiEndpoint('Add the demo dataset', {
    description: 'Another batch when data already exists. Not available in production (404).',
    errors: { 422: 'users must not be greater than 5000' },
  })
  @ApiOkResponse({ type: SeedResponseDto, example: SEED_RESPONSE_EXAMPLE })
  async seedDemoData(@Body() body: SeedRequestDto = {}): Promise<SeedResponseDto> {
    return toSeedResponse(await this.seeding.seed(toOptions(body)));
  }

  @Post('reset')
  @HttpCode(200)
  @ApiEndpoint('Rebuild the database and seed it', {
    description:
      'Drops every table, re-runs the migrations and seeds. Tokens issued before stop matching users. ' +
      'Not available in production (404).',
    errors: { 422: 'users must not be greater than 5000' },
  })
  @ApiOkResponse({ type: SeedResponseDto, example: SEED_RESPONSE_EXAMPLE })
  async resetDatabase(@Body() body: SeedRequestDto = {}): Promise<SeedResponseDto> {
    return toSeedResponse(await this.seeding.reset(toOptions(body)));
  }
}

function toOptions(body: SeedRequestDto): SeedOptions {
  return {
    users: body.users,
    activities: body.activities,
    drawings: body.drawings,
    randomSeed: body.random_seed,
  };
}

function toSeedResponse(result: SeedResult): SeedResponseDto {
  return {
    counts: result.counts,
    random_seed: result.randomSeed,
    reference_time: result.referenceTime.toISOString(),
    duration_ms: result.durationMs,
  };
}
