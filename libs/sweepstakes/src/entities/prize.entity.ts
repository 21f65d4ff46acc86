import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { MutableEntity } from '@fittrack/core';
import type { Drawing } from './drawing.entity';
import type { Sponsor } from './sponsor.entity';

export const FULFILLMENT_TYPES = ['physical', 'digital'] as const;
export type FulfillmentType = (typeof FULFILLMENT_TYPES)[number];

@Entity('prizes')
@Index('uq_prizes_drawing_rank', ['drawingId', 'rank'], { unique: true })
@Check('ck_prizes_rank', '"rank" >= 1')
@Check('ck_prizes_value', '"value_usd" >= 0')
export class Prize extends MutableEntity {
  @Column({ type: 'varchar', length: 36 })
  drawingId!: string;

  @ManyToOne('Drawing', 'prizes', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'drawing_id', foreignKeyConstraintName: 'fk_prizes_drawing' })
  drawing?: Drawing;

  @Index('ix_prizes_sponsor')
  @Column({ type: 'varchar', length: 36, nullable: true })
  sponsorId!: string | null;

  @ManyToOne('Sponsor', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sponsor_id', foreignKeyConstraintName: 'fk_prizes_sponsor' })
  sponsor?: Sponsor;

  @Column({ type: 'int' })
  rank!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'decimal', precision: 10, scale: 2, default: 0 })
  valueUsd!: string;

  @Column({ type: 'varchar', length: 8 })
  fulfillmentType!: FulfillmentType;

  /** Gift-card code for digital prizes; only ever emailed to the winner, never listed. */
  @Column({ type: 'varchar', length: 200, nullable: true, select: false })
  digitalCode!: string | null;
}
