import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '@fittrack/core';

/** A re-draw after a forfeit, in the order made: published in /verify so the sequence stays recomputable. */
@Entity('drawing_redraws')
@Index('uq_drawing_redraws_sequence', ['drawingId', 'sequence'], { unique: true })
export class DrawingRedraw extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  drawingId!: string;

  /** 1, 2, 3, … within the drawing. */
  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'int' })
  prizeRank!: number;

  @Column({ type: 'int' })
  ticketNumber!: number;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'int' })
  replacesTicket!: number;
}
