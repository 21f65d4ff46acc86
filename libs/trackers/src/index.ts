export * from './trackers.module';
export * from './entities/tracker-connection.entity';
export * from './entities/activity.entity';
export * from './activities.repository';
export * from './dto/activities.dto';
export * from './entities/activity-flag.entity';
export * from './activity-flags.repository';
export * from './ingestion.service';
