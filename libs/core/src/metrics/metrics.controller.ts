import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { type AppConfig, InjectConfig } from '../config/app-config';
import { NotFoundError } from '../errors/domain-errors';
import { Public } from '../http/public.decorator';
import { Metrics } from './metrics';
import { mayScrapeMetrics } from './metrics-access';

/**
 * GET /metrics (outside /api/v1) in Prometheus's text format. With METRICS_TOKEN set it needs
 * `Authorization: Bearer <token>`; production without a token does not serve it. A refusal is 404, so a
 * scanner learns nothing. Not part of the client API document.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() request: Request): Promise<string> {
    if (!mayScrapeMetrics(this.config, request.header('authorization'))) throw new NotFoundError('Route');
    return this.metrics.scrape();
  }
}
