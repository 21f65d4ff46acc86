import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Drawing } from './entities/drawing.entity';
import { Prize } from './entities/prize.entity';
import { Ticket } from './entities/ticket.entity';
import { Sponsor } from './entities/sponsor.entity';
import { DrawingsRepository } from './drawings.repository';
import { DrawingsService } from './drawings.service';
import { DrawingsController } from './drawings.controller';
import { AdminDrawingsController } from './admin-drawings.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Drawing, Prize, Ticket, Sponsor])],
  // Fixed sub-paths (e.g. `/drawings/{id}/results`) coexist with `/:id`; a fixed top-level path such as
  // `/drawings/upcoming` would have to be registered before DrawingsController.
  controllers: [DrawingsController, AdminDrawingsController],
  providers: [DrawingsRepository, DrawingsService],
  exports: [DrawingsRepository, DrawingsService],
})
export class SweepstakesModule {}
