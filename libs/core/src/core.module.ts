import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig, appConfig } from './config/app-config';
import { Clock, SystemClock } from './clock/clock';
import { SecretBox } from './crypto/secret-box';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseService } from './database/database.service';
import { DataContext } from './database/base.repository';
import { ClockTimestampsSubscriber } from './database/clock-timestamps.subscriber';
import { UnitOfWork } from './database/transactions';
import { QueueModule } from './queue/queue.module';
import { QUEUE_PROCESSING } from './queue/queue.tokens';
import { createHttpLogger, HTTP_LOGGER, LOG_DESTINATION, loggerParams } from './logging/logging';
import { Metrics } from './metrics/metrics';
import { MetricsCollectors } from './metrics/metrics-collectors';
import { GlobalRateLimit } from './http/rate-limit';
import { LoadShedder, OverloadMiddleware } from './http/overload';

export type ProcessRole = 'api' | 'worker' | 'cli';

export interface CoreModuleOptions {
  role: ProcessRole;
  migrations: DataSourceOptions['migrations'];
}

/**
 * Config, the one shared database connection with its unit of work (an async-local transaction that every
 * repository joins: @nestjs-cls/transactional, ADR 0009), the clock and the queue port. The worker always consumes
 * jobs; the API does so only in embedded mode (no Redis), the CLI never.
 */
@Global()
@Module({})
export class CoreModule implements NestModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, load: [appConfig], cache: true }),
        LoggerModule.forRootAsync({
          providers: [
            // Tests override LOG_DESTINATION to read the lines; stdout otherwise.
            { provide: LOG_DESTINATION, useValue: null },
            { provide: HTTP_LOGGER, inject: [appConfig.KEY, LOG_DESTINATION], useFactory: createHttpLogger },
          ],
          inject: [HTTP_LOGGER],
          useFactory: loggerParams,
        }),
        TypeOrmModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, options.migrations, options.role),
            autoLoadEntities: true,
          }),
        }),
        ClsModule.forRoot({
          global: true,
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
        QueueModule,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        DatabaseService,
        DataContext,
        ClockTimestampsSubscriber,
        UnitOfWork,
        Metrics,
        MetricsCollectors,
        GlobalRateLimit,
        LoadShedder,
        // One AES-256-GCM box for personal and provider data at rest (ENCRYPTION_KEY, rotation by key id).
        {
          provide: SecretBox,
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) => SecretBox.fromConfig(config.encryption),
        },
        {
          provide: QUEUE_PROCESSING,
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) =>
            options.role === 'worker' || (options.role === 'api' && !config.redisUrl),
        },
      ],
      exports: [
        Clock,
        DatabaseService,
        DataContext,
        UnitOfWork,
        QUEUE_PROCESSING,
        Metrics,
        GlobalRateLimit,
        SecretBox,
      ],
    };
  }

  /** Only an HTTP application calls this (the worker and the CLI are application contexts). */
  configure(consumer: MiddlewareConsumer): void {
    // The middleware itself keeps to /api/v1: /health and /metrics sit outside the global prefix.
    consumer.apply(OverloadMiddleware).forRoutes('*path');
  }
}
