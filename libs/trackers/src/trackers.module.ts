import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PointsModule } from '@fittrack/points';
import { TrackerConnection } from './entities/tracker-connection.entity';
import { Activity } from './entities/activity.entity';
import { ActivityFlag } from './entities/activity-flag.entity';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { ActivitiesController } from './activities.controller';
import { ActivityFlagsRepository } from './activity-flags.repository';
import { ActivityFlagsService } from './activity-flags.service';
import { ActivityFlagsController } from './activity-flags.controller';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrackerConnection, Activity, ActivityFlag]), PointsModule],
  // Fixed paths such as `/activities/summary` are declared before ActivitiesController's `/:id`.
  controllers: [ActivitiesController, ActivityFlagsController],
  providers: [
    ActivitiesRepository,
    ActivitiesService,
    ActivityFlagsRepository,
    ActivityFlagsService,
    IngestionService,
  ],
  exports: [ActivitiesRepository, IngestionService],
})
export class TrackersModule {}
