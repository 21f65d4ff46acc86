export * from './fulfillment.module';
export * from './entities/prize-fulfillment.entity';
export * from './fulfillment.service';
export * from './fulfillment.repository';
export * from './sponsors.repository';
export * from './compliance.service';
