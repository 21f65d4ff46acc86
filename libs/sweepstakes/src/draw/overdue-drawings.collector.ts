import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock, Metrics } from '@fittrack/core';
import { DrawRepository } from './draw.repository';

/**
 * Sets `drawings_overdue` right before each scrape, from the database: every process reports the same
 * count, whichever one runs the scheduler tick (one indexed count on status and drawing time).
 */
@Injectable()
export class OverdueDrawingsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly draws: DrawRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.metrics.onCollect(async () =>
      this.metrics.drawingsOverdue.set(await this.draws.countOverdue(this.clock.now())),
    );
  }
}
