import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, ON_DELETE_RESTRICT } from '@fittrack/core';
import type { User } from '@fittrack/users';

export const TRANSACTION_TYPES = ['earn', 'spend', 'adjust', 'refund'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export const REFERENCE_TYPES = ['activity', 'ticket_purchase', 'drawing', 'admin'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

/**
 * The append-only points ledger. Nothing updates or deletes a row; corrections are new `adjust` rows.
 * Only LedgerService (post, postMany) writes it. Per user, `sequence` runs 1, 2, 3, … and `balance_after`
 * of entry k is `balance_after` of entry k−1 plus `amount` (domain-rules.md, Ledger).
 */
@Entity('point_transactions')
@Index('uq_point_transactions_sequence', ['userId', 'sequence'], { unique: true })
@Index('ix_point_transactions_earned_on', ['userId', 'earnedOn'])
@Index('ix_point_transactions_user_created', ['userId', 'createdAt'])
@Index('ix_point_transactions_reference', ['referenceType', 'referenceId'])
@Check('ck_point_transactions_balance_after', '"balance_after" >= 0')
export class PointTransaction extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  /** RESTRICT: the ledger is an audit trail; a user with entries is soft deleted, never removed. */
  @ManyToOne('User', { onDelete: ON_DELETE_RESTRICT })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_point_transactions_user' })
  user?: User;

  @Index('ix_point_transactions_type')
  @Column({ type: 'varchar', length: 8 })
  transactionType!: TransactionType;

  /** Signed: earn/refund positive, spend negative, adjust either. */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'int' })
  balanceAfter!: number;

  /** The entry's place in its user's ledger: 1, 2, 3, … without gaps. Order by it, never by time. */
  @Column({ type: 'int' })
  sequence!: number;

  /**
   * Earning entries (earn, and adjusts of an activity's award): the day the points count for (the
   * record's day, YYYY-MM-DD), which the daily cap, `today_earned` and the boards group by. Null otherwise.
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  earnedOn!: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  referenceType!: ReferenceType | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  referenceId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  description!: string;

  /** Makes every award, purchase and refund happen at most once. */
  @Index('uq_point_transactions_idempotency', { unique: true })
  @Column({ type: 'varchar', length: 160 })
  idempotencyKey!: string;
}
