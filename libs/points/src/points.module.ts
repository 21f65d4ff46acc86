import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '@fittrack/users';
import { PointTransaction } from './entities/point-transaction.entity';
import { PointTransactionsRepository } from './point-transactions.repository';
import { PointsService } from './points.service';
import { PointsController } from './points.controller';
import { AdminPointsController } from './admin-points.controller';
import { LedgerService } from './ledger.service';
import { PointsChangedHooks } from './points-changed.hooks';

@Module({
  imports: [TypeOrmModule.forFeature([PointTransaction]), UsersModule],
  controllers: [PointsController, AdminPointsController],
  providers: [PointTransactionsRepository, PointsService, LedgerService, PointsChangedHooks],
  exports: [PointTransactionsRepository, LedgerService, PointsChangedHooks],
})
export class PointsModule {}
