import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from '../metrics/metrics.controller';

/** The API's operations endpoints, outside /api/v1: /health (checks run by @nestjs/terminus) and /metrics. */
@Module({
  imports: [DiscoveryModule, TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, MetricsController],
})
export class HealthModule {}
