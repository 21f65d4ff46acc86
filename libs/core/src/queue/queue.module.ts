import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, appConfig } from '../config/app-config';
import { BullQueue } from './bull.queue';
import { InProcessQueue } from './in-process.queue';
import { JobRegistry } from './job-registry';
import { QueuePort } from './queue.port';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: QueuePort,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new BullQueue(config.redisUrl, config.queuePrefix) : new InProcessQueue(),
    },
    JobRegistry,
  ],
  exports: [QueuePort],
})
export class QueueModule {}
