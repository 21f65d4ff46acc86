import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuthModule } from '@fittrack/auth';
import { PointsModule } from '@fittrack/points';
import { TrackersModule } from '@fittrack/trackers';
import { NonProductionOnlyMiddleware } from './non-production.middleware';
import { SeedingController } from './seeding.controller';
import { SeedService } from './seed.service';

/** Demo data: SeedService for the CLI and `npm start`, admin seed/reset endpoints outside production. */
@Module({
  imports: [AuthModule, PointsModule, TrackersModule],
  controllers: [SeedingController],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(NonProductionOnlyMiddleware).forRoutes(SeedingController);
  }
}
