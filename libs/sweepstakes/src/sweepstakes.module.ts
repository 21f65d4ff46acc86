import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Drawing } from './entities/drawing.entity';
import { Prize } from './entities/prize.entity';
import { Ticket } from './entities/ticket.entity';
import { Sponsor } from './entities/sponsor.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Drawing, Prize, Ticket, Sponsor])],
})
export class SweepstakesModule {}
