import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrizeFulfillment } from './entities/prize-fulfillment.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PrizeFulfillment])],
})
export class FulfillmentModule {}
