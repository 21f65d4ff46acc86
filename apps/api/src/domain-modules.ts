import { AuthModule } from '@fittrack/auth';
import { FulfillmentModule } from '@fittrack/fulfillment';
import { LeaderboardsModule } from '@fittrack/leaderboards';
import { NotificationsModule } from '@fittrack/notifications';
import { PointsModule } from '@fittrack/points';
import { ReportsModule } from '@fittrack/reports';
import { SeedingModule } from '@fittrack/seeding';
import { SweepstakesModule } from '@fittrack/sweepstakes';
import { TrackersModule } from '@fittrack/trackers';
import { UsersModule } from '@fittrack/users';

/** The domain modules every process loads (API, worker and CLI share them). */
export const DOMAIN_MODULES = [
  UsersModule,
  AuthModule,
  TrackersModule,
  PointsModule,
  LeaderboardsModule,
  SweepstakesModule,
  FulfillmentModule,
  NotificationsModule,
  ReportsModule,
  SeedingModule,
];
