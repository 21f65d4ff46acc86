import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { columnTypes, MutableEntity, ON_DELETE_RESTRICT, type Sealed } from '@fittrack/core';
import type { User } from '@fittrack/users';
import type { Prize, Ticket } from '@fittrack/sweepstakes';

const types = columnTypes();

export const FULFILLMENT_STATUSES = [
  'pending',
  'winner_notified',
  'address_confirmed',
  'shipped',
  'delivered',
  'forfeited',
  'returned_to_sponsor',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postal_code: string;
  phone?: string;
}

@Entity('prize_fulfillments')
@Index('ix_prize_fulfillments_status', ['status', 'notifiedAt'])
export class PrizeFulfillment extends MutableEntity {
  @Index('uq_prize_fulfillments_ticket', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  ticketId!: string;

  @OneToOne('Ticket', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_prize_fulfillments_ticket' })
  ticket?: Ticket;

  @Index('ix_prize_fulfillments_prize')
  @Column({ type: 'varchar', length: 36 })
  prizeId!: string;

  @ManyToOne('Prize', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'prize_id', foreignKeyConstraintName: 'fk_prize_fulfillments_prize' })
  prize?: Prize;

  @Index('ix_prize_fulfillments_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne('User', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_prize_fulfillments_user' })
  user?: User;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: FulfillmentStatus;

  /** The winner's ShippingAddress as JSON, sealed with SecretBox (AES-256-GCM): personal data at rest. */
  @Column({ type: types.json, nullable: true })
  shippingAddress!: Sealed | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  carrier!: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  trackingNumber!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  notes!: string | null;

  @Column({ type: types.timestamp, nullable: true })
  notifiedAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  reminderSentAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  addressConfirmedAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  shippedAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: types.timestamp, nullable: true })
  forfeitedAt!: Date | null;

  /** When the winner's W-9 arrived: a reportable winner's physical prize ships only after it. */
  @Column({ type: types.timestamp, nullable: true })
  w9ReceivedAt!: Date | null;
}
