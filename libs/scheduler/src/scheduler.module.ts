import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SchedulerTicks } from './scheduler.ticks';

/** Cron ticks that enqueue jobs; loaded by the API and the worker, ticking only where jobs run. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [SchedulerTicks],
  exports: [SchedulerTicks],
})
export class SchedulerModule {}
