import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fittrack/core';
import { SeedRequestDto, SeedResponseDto } from './seed-request.dto';
import { SeedService, type SeedOptions, type SeedResult } from './seed.service';

/** Development tools behind the test page's Data Controls tab; answer 404 in production. */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@ApiNotFoundResponse({ description: 'In production these endpoints do not exist' })
@Roles('admin')
@Controller('admin')
export class SeedingController {
  constructor(private readonly seeding: SeedService) {}

  /** Adds the demo dataset (another batch when data already exists). */
  @Post('seed')
  @HttpCode(200)
  async seed(@Body() body: SeedRequestDto = {}): Promise<SeedResponseDto> {
    return toSeedResponse(await this.seeding.seed(toOptions(body)));
  }

  /** Drops every table, re-runs the migrations and seeds. Tokens issued before stop matching users. */
  @Post('reset')
  @HttpCode(200)
  async reset(@Body() body: SeedRequestDto = {}): Promise<SeedResponseDto> {
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
