import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TrackersModule } from '@fittrack/trackers';
import { SchedulerTicks } from './scheduler.ticks';

/** Cron ticks that enqueue jobs; loaded by the API and the worker, ticking only where jobs run. */
@Module({
  imports: [ScheduleModule.forRoot(), TrackersModule],
  providers: [SchedulerTicks],
  exports: [SchedulerTicks],
})
export class SchedulerModule {}
