import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TrackerConnection } from './entities/tracker-connection.entity';
import { Activity } from './entities/activity.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TrackerConnection, Activity])],
})
export class TrackersModule {}
