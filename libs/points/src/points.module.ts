import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '@fittrack/users';
import { PointTransaction } from './entities/point-transaction.entity';
import { PointTransactionsRepository } from './point-transactions.repository';
import { PointsService } from './points.service';
import { PointsController } from './points.controller';

@Module({
  imports: [TypeOrmModule.forFeature([PointTransaction]), UsersModule],
  controllers: [PointsController],
  providers: [PointTransactionsRepository, PointsService],
  exports: [PointTransactionsRepository],
})
export class PointsModule {}
