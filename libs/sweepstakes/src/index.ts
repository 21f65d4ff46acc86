export * from './sweepstakes.module';
export * from './entities/drawing.entity';
export * from './entities/prize.entity';
export * from './entities/ticket.entity';
export * from './entities/sponsor.entity';
