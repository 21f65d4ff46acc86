export * from './points.module';
export * from './entities/point-transaction.entity';
