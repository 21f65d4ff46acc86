import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig, appConfig } from './config/app-config';
import { Clock, SystemClock } from './clock/clock';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseService } from './database/database.service';
import { UnitOfWork } from './database/unit-of-work';
import { QueueModule } from './queue/queue.module';
import { QUEUE_PROCESSING } from './queue/queue.tokens';

export type ProcessRole = 'api' | 'worker' | 'cli';

export interface CoreModuleOptions {
  role: ProcessRole;
  migrations: DataSourceOptions['migrations'];
}

/**
 * Config, the one shared database connection, the clock and the queue port. The worker always consumes
 * jobs; the API does so only in embedded mode (no Redis), the CLI never.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, load: [appConfig], cache: true }),
        TypeOrmModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, options.migrations),
            autoLoadEntities: true,
          }),
        }),
        QueueModule,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        DatabaseService,
        UnitOfWork,
        {
          provide: QUEUE_PROCESSING,
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) =>
            options.role === 'worker' || (options.role === 'api' && !config.redisUrl),
        },
      ],
      exports: [Clock, DatabaseService, UnitOfWork, QUEUE_PROCESSING],
    };
  }
}
