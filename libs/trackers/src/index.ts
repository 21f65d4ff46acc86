export * from './trackers.module';
export * from './entities/tracker-connection.entity';
export * from './entities/activity.entity';
