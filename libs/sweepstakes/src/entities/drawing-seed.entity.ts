import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { columnTypes } from '@fittrack/core';

/**
 * The secret seed of a scheduled drawing, in a table of its own so that no drawing query, list or response
 * can read it by accident. Only the draw reads it (DrawSeedsRepository) and then publishes it on the drawing.
 */
@Entity('drawing_seeds')
export class DrawingSeed {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  drawingId!: string;

  @Column({ type: 'varchar', length: 64 })
  seed!: string;

  @CreateDateColumn({ type: columnTypes().timestamp })
  createdAt!: Date;
}
