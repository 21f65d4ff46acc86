import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@fittrack/notifications';
import { UsersModule } from '@fittrack/users';
import { SweepstakesModule } from '@fittrack/sweepstakes';
import { PrizeFulfillment } from './entities/prize-fulfillment.entity';
import { FulfillmentRepository } from './fulfillment.repository';
import { SponsorsRepository } from './sponsors.repository';
import { FulfillmentService } from './fulfillment.service';
import { SponsorsService } from './sponsors.service';
import { ComplianceService } from './compliance.service';
import { FulfillmentDeadlinesHandler } from './fulfillment-deadlines.job';
import {
  AdminFulfillmentsController,
  ComplianceController,
  FulfillmentsController,
  SponsorsController,
} from './fulfillment.controller';

/** Prize fulfillment after a draw, sponsors, and the compliance reports. */
@Module({
  imports: [
    TypeOrmModule.forFeature([PrizeFulfillment]),
    SweepstakesModule,
    NotificationsModule,
    UsersModule,
  ],
  controllers: [
    FulfillmentsController,
    AdminFulfillmentsController,
    SponsorsController,
    ComplianceController,
  ],
  providers: [
    FulfillmentRepository,
    SponsorsRepository,
    FulfillmentService,
    SponsorsService,
    ComplianceService,
    FulfillmentDeadlinesHandler,
  ],
  exports: [FulfillmentService, FulfillmentRepository],
})
export class FulfillmentModule {}
