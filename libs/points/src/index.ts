export * from './points.module';
export * from './entities/point-transaction.entity';
export * from './point-transactions.repository';
export * from './points.service';
export * from './rules/points-rules';
