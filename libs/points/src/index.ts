export * from './points.module';
export * from './entities/point-transaction.entity';
export * from './point-transactions.repository';
export * from './points.service';
export * from './ledger.service';
export * from './points-changed.hooks';
export * from './rules/points-rules';
