import { Check, Column, Entity, Index, OneToMany } from 'typeorm';
import { columnTypes, SoftDeletableEntity } from '@fittrack/core';
import type { Prize } from './prize.entity';

const types = columnTypes();

export const DRAWING_TYPES = ['daily', 'weekly', 'monthly', 'annual'] as const;
export type DrawingType = (typeof DRAWING_TYPES)[number];
export const DRAWING_STATUSES = ['draft', 'scheduled', 'open', 'closed', 'completed', 'cancelled'] as const;
export type DrawingStatus = (typeof DRAWING_STATUSES)[number];

export interface DrawingEligibility {
  user_type: 'all' | 'premium';
  min_account_age_days: number;
}

@Entity('drawings')
@Index('ix_drawings_status_time', ['status', 'drawingTime'])
@Index('ix_drawings_type', ['drawingType'])
@Check('ck_drawings_ticket_cost', '"ticket_cost_points" > 0')
@Check('ck_drawings_total_tickets', '"total_tickets" >= 0')
export class Drawing extends SoftDeletableEntity {
  @Column({ type: 'varchar', length: 8 })
  drawingType!: DrawingType;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'int' })
  ticketCostPoints!: number;

  @Column({ type: types.timestamp })
  opensAt!: Date;

  @Column({ type: types.timestamp })
  ticketSalesClose!: Date;

  @Column({ type: types.timestamp })
  drawingTime!: Date;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status!: DrawingStatus;

  @Column({ type: types.json })
  eligibility!: DrawingEligibility;

  @Column({ type: 'int', default: 0 })
  totalTickets!: number;

  /** Hex SHA-256 of the seed, published when the drawing is scheduled. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  seedCommitment!: string | null;

  /** Hex seed, revealed by the draw (until then it is only in drawing_seeds, which no read selects). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  seed!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  beaconRound!: string | null;

  /** The round's randomness (hex), once fetched and verified at the draw. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  beaconValue!: string | null;

  /** The drand chain the round belongs to (pinned in configuration); null without a beacon. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  beaconChainHash!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  beaconSignature!: string | null;

  /** The next unused candidate counter after the draw and any re-draws (fair-draw.md, Re-draws). */
  @Column({ type: 'int', nullable: true })
  drawCounter!: number | null;

  /** Hex SHA-256 of the frozen ticket list, published at sales close. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ticketsHash!: string | null;

  @Column({ type: types.timestamp, nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @OneToMany('Prize', 'drawing')
  prizes?: Prize[];
}
