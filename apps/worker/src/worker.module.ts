import { Module } from '@nestjs/common';
import { CoreModule, MetricsServer } from '@fittrack/core';
import { SchedulerModule } from '@fittrack/scheduler';
import { MIGRATIONS } from '../../../migrations';
import { DOMAIN_MODULES } from '../../api/src/domain-modules';

/**
 * The same domain modules as the API, without the API's HTTP: the JobRegistry consumes every queue (role
 * 'worker'); MetricsServer serves /metrics and /health/live on WORKER_METRICS_PORT when it is set.
 */
@Module({
  imports: [
    CoreModule.forRoot({ role: 'worker', migrations: MIGRATIONS }),
    ...DOMAIN_MODULES,
    SchedulerModule,
  ],
  providers: [MetricsServer],
})
export class WorkerModule {}
