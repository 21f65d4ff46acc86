import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TrackerConnection } from './entities/tracker-connection.entity';
import { Activity } from './entities/activity.entity';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { ActivitiesController } from './activities.controller';

@Module({
  imports: [TypeOrmModule.forFeature([TrackerConnection, Activity])],
  // Fixed paths such as `/activities/summary` must be registered before ActivitiesController's `/:id`.
  controllers: [ActivitiesController],
  providers: [ActivitiesRepository, ActivitiesService],
  exports: [ActivitiesRepository],
})
export class TrackersModule {}
