import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, ON_DELETE_RESTRICT } from '@fittrack/core';
import type { User } from '@fittrack/users';
import type { PointTransaction } from '@fittrack/points';
import type { Drawing } from './drawing.entity';
import type { Prize } from './prize.entity';

@Entity('tickets')
@Index('uq_tickets_drawing_number', ['drawingId', 'ticketNumber'], { unique: true })
@Index('ix_tickets_drawing_user', ['drawingId', 'userId'])
export class Ticket extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  drawingId!: string;

  @ManyToOne('Drawing', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'drawing_id', foreignKeyConstraintName: 'fk_tickets_drawing' })
  drawing?: Drawing;

  @Index('ix_tickets_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_tickets_user' })
  user?: User;

  /** 1..N within the drawing, in purchase order. */
  @Column({ type: 'int' })
  ticketNumber!: number;

  /** The `spend` entry that paid for it; null for a free entry. */
  @Index('ix_tickets_purchase')
  @Column({ type: 'varchar', length: 36, nullable: true })
  purchaseTransactionId!: string | null;

  /** The free alternate method of entry (no purchase necessary): one per user per drawing. */
  @Column({ default: false })
  isFree!: boolean;

  @ManyToOne('PointTransaction', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'purchase_transaction_id', foreignKeyConstraintName: 'fk_tickets_purchase' })
  purchaseTransaction?: PointTransaction;

  @Column({ default: false })
  isWinner!: boolean;

  @Index('ix_tickets_prize')
  @Column({ type: 'varchar', length: 36, nullable: true })
  prizeId!: string | null;

  @ManyToOne('Prize', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'prize_id', foreignKeyConstraintName: 'fk_tickets_prize' })
  prize?: Prize;
}
