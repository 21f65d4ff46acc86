import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PointsModule } from '@fittrack/points';
import { UsersModule } from '@fittrack/users';
import { Drawing } from './entities/drawing.entity';
import { Prize } from './entities/prize.entity';
import { Ticket } from './entities/ticket.entity';
import { Sponsor } from './entities/sponsor.entity';
import { DrawingSeed } from './entities/drawing-seed.entity';
import { DrawingRedraw } from './entities/drawing-redraw.entity';
import { AuditLogEntry } from './entities/audit-log-entry.entity';
import { DrawingsRepository } from './drawings.repository';
import { DrawingsService } from './drawings.service';
import { DrawingsController } from './drawings.controller';
import { AdminDrawingsController } from './admin-drawings.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { TicketsController } from './tickets.controller';
import { DrawRepository } from './draw/draw.repository';
import { DrawingExecutionService } from './draw/drawing-execution.service';
import { DrawController } from './draw/draw.controller';
import { DueDrawingsHandler } from './draw/due-drawings.job';
import { OverdueDrawingsCollector } from './draw/overdue-drawings.collector';
import { BeaconService } from './draw/beacon';
import { WinnersAwardedHooks } from './draw/winners.hooks';
import { AuditLogService } from './audit/audit-log.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Drawing, Prize, Ticket, Sponsor, DrawingSeed, DrawingRedraw, AuditLogEntry]),
    PointsModule,
    UsersModule,
  ],
  // Fixed sub-paths (e.g. `/drawings/{id}/results`) coexist with `/:id`; a fixed top-level path such as
  // `/drawings/upcoming` would have to be registered before DrawingsController.
  controllers: [DrawingsController, AdminDrawingsController, TicketsController, DrawController],
  providers: [
    DrawingsRepository,
    DrawingsService,
    TicketsRepository,
    TicketsService,
    DrawRepository,
    DrawingExecutionService,
    DueDrawingsHandler,
    OverdueDrawingsCollector,
    BeaconService,
    WinnersAwardedHooks,
    AuditLogService,
  ],
  exports: [
    DrawingsRepository,
    DrawingsService,
    TicketsRepository,
    TicketsService,
    DrawingExecutionService,
    WinnersAwardedHooks,
    AuditLogService,
  ],
})
export class SweepstakesModule {}
