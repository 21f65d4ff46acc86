import { Module } from '@nestjs/common';
import { CoreModule, HealthModule } from '@fittrack/core';
import { SchedulerModule } from '@fittrack/scheduler';
import { MIGRATIONS } from '../../../migrations';
import { DOMAIN_MODULES } from './domain-modules';

@Module({
  imports: [
    CoreModule.forRoot({ role: 'api', migrations: MIGRATIONS }),
    HealthModule,
    ...DOMAIN_MODULES,
    SchedulerModule,
  ],
})
export class AppModule {}
