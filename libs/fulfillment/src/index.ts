export * from './fulfillment.module';
export * from './entities/prize-fulfillment.entity';
