import { Module } from '@nestjs/common';
import { CoreModule } from '@fittrack/core';
import { SchedulerModule } from '@fittrack/scheduler';
import { MIGRATIONS } from '../../../migrations';
import { DOMAIN_MODULES } from '../../api/src/domain-modules';

/** The same domain modules as the API, without HTTP: the JobRegistry consumes every queue (role 'worker'). */
@Module({
  imports: [
    CoreModule.forRoot({ role: 'worker', migrations: MIGRATIONS }),
    ...DOMAIN_MODULES,
    SchedulerModule,
  ],
})
export class WorkerModule {}
