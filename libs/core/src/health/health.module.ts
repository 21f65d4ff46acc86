import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthController } from './health.controller';
import { MetricsController } from '../metrics/metrics.controller';

/** The API's operations endpoints, outside /api/v1: /health and /metrics. */
@Module({ imports: [DiscoveryModule], controllers: [HealthController, MetricsController] })
export class HealthModule {}
