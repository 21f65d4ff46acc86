import { Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { type AppConfig, appConfig } from '@fittrack/core';
import { PointsModule } from '@fittrack/points';
import { UsersModule } from '@fittrack/users';
import { LeaderboardRollup } from './entities/leaderboard-rollup.entity';
import { LeaderboardCache } from './leaderboard-cache';
import { LeaderboardsController } from './leaderboards.controller';
import { LeaderboardsRepository } from './leaderboards.repository';
import { LeaderboardsService } from './leaderboards.service';
import { LEADERBOARD_THROTTLE_STORAGE, LeaderboardRateLimit, RedisThrottlerStorage } from './rate-limit';

@Module({
  imports: [
    TypeOrmModule.forFeature([LeaderboardRollup]),
    UsersModule,
    PointsModule,
    // Memory in embedded mode; Redis with REDIS_URL, so every instance sees the same invalidations.
    CacheModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ttl: config.leaderboards.cacheTtlSeconds * 1000,
        ...(config.redisUrl
          ? {
              stores: [
                new Keyv({
                  store: new KeyvRedis(config.redisUrl),
                  namespace: `${config.queuePrefix}:leaderboards`,
                }),
              ],
            }
          : {}),
      }),
    }),
  ],
  controllers: [LeaderboardsController],
  providers: [
    LeaderboardsRepository,
    LeaderboardCache,
    LeaderboardsService,
    LeaderboardRateLimit,
    {
      provide: LEADERBOARD_THROTTLE_STORAGE,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) =>
        config.redisUrl
          ? new RedisThrottlerStorage(config.redisUrl, config.queuePrefix)
          : new ThrottlerStorageService(),
    },
  ],
  exports: [LeaderboardsService],
})
export class LeaderboardsModule {}
