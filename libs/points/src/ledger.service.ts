import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, Metrics, NotFoundError, UnitOfWork, UnprocessableError } from '@fittrack/core';
import { UsersRepository } from '@fittrack/users';
import type { PointTransaction, ReferenceType, TransactionType } from './entities/point-transaction.entity';
import { PointTransactionsRepository } from './point-transactions.repository';
import { PointsChangedHooks } from './points-changed.hooks';

export const INSUFFICIENT_POINTS = 'Insufficient points';

export interface PostEntry {
  userId: string;
  type: TransactionType;
  /** Signed, non-zero whole points: earn and refund positive, spend negative, adjust either. */
  amount: number;
  reference: { type: ReferenceType; id: string } | null;
  description: string;
  /** Unique forever: a second post with the same key changes nothing and returns the first entry. */
  idempotencyKey: string;
  /** Earning entries (earn, activity adjusts): the day the points count for, YYYY-MM-DD. */
  earnedOn?: string;
  /**
   * Activity adjusts only: when the user already spent the points a correction takes back, take what the
   * balance holds (never below 0) instead of refusing. The entry says so.
   */
  clampToBalance?: boolean;
}

export interface PostResult {
  /** Null only when a clamped correction found nothing left to take. */
  entry: PointTransaction | null;
  /** True when the idempotency key had been posted before: `entry` is that first entry. */
  replayed: boolean;
}

const SIGNS: Record<TransactionType, 'positive' | 'negative' | 'any'> = {
  earn: 'positive',
  refund: 'positive',
  spend: 'negative',
  adjust: 'any',
};

/** Earning is what boards and the daily cap count: awards and the corrections of an activity's award. */
export const isEarning = (type: TransactionType, reference: PostEntry['reference']): boolean =>
  type === 'earn' || (type === 'adjust' && reference?.type === 'activity');

/**
 * The only writer of the points ledger. Every module that earns, spends or returns points calls `post`.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: PointTransactionsRepository,
    private readonly users: UsersRepository,
    private readonly hooks: PointsChangedHooks,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /** Takes the user's ledger lock for the rest of the current unit of work; read what you pay from after it. */
  async lockUser(userId: string): Promise<number> {
    const user = await this.users.lockBalance(userId);
    if (!user) throw new NotFoundError('User');
    return user.pointBalance;
  }

  /**
   * Posts one entry, atomically with whatever the caller's unit of work does (or in one of its own): the
   * user's ledger lock, the idempotency check, the balance's conditional update, the entry with the next
   * sequence number and its balance_after, and the in-transaction "points changed" hooks for earning.
   */
  async post(input: PostEntry): Promise<PostResult> {
    this.check(input);
    const result = await this.unitOfWork.run(async (): Promise<PostResult> => {
      const balance = await this.lockUser(input.userId);
      // Under the lock: a concurrent post with the same key has committed or not started.
      const existing = await this.ledger.findByIdempotencyKey(input.idempotencyKey);
      if (existing) {
        if (existing.userId !== input.userId) throw new ConflictError('Idempotency key already used');
        return { entry: existing, replayed: true };
      }
      let { amount, description } = input;
      if (balance + amount < 0) {
        if (!input.clampToBalance) throw new ConflictError(INSUFFICIENT_POINTS);
        amount = -balance;
        description = `${description} (limited to the balance left)`;
        if (amount === 0) return { entry: null, replayed: false };
      }
      const earning = isEarning(input.type, input.reference);
      if (!(await this.users.applyPoints(input.userId, amount, earning ? amount : 0))) {
        throw new ConflictError(INSUFFICIENT_POINTS);
      }
      const previous = await this.ledger.latest(input.userId);
      const entry = await this.ledger.append({
        userId: input.userId,
        transactionType: input.type,
        amount,
        balanceAfter: (previous?.balanceAfter ?? 0) + amount,
        sequence: (previous?.sequence ?? 0) + 1,
        referenceType: input.reference?.type ?? null,
        referenceId: input.reference?.id ?? null,
        description: description.slice(0, 255),
        idempotencyKey: input.idempotencyKey,
        earnedOn: earning ? (input.earnedOn ?? null) : null,
      });
      if (entry.balanceAfter !== balance + amount) {
        // The ledger and the balance disagree: refuse rather than chain a wrong balance_after.
        throw new Error(`Ledger of user ${input.userId} does not match its balance`);
      }
      if (earning && input.earnedOn) {
        await this.hooks.publish({
          userId: input.userId,
          earnedOn: input.earnedOn,
          delta: amount,
          at: this.clock.now(),
          entryId: entry.id,
        });
      }
      return { entry, replayed: false };
    });
    // After the unit of work (committed unless the caller's own transaction still rolls back).
    const earned =
      result.entry && !result.replayed && isEarning(input.type, input.reference) ? result.entry.amount : 0;
    if (earned > 0) {
      this.metrics.pointsEarned.inc(earned);
    }
    return result;
  }

  private check(input: PostEntry): void {
    const sign = SIGNS[input.type];
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
      throw new UnprocessableError('Amount must be a non-zero whole number of points');
    }
    if ((sign === 'positive' && input.amount < 0) || (sign === 'negative' && input.amount > 0)) {
      throw new UnprocessableError(`A ${input.type} entry must be ${sign}`);
    }
    if (isEarning(input.type, input.reference) && !input.earnedOn) {
      throw new Error('An earning entry needs the day it counts for');
    }
  }
}
