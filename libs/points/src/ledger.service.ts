import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, Metrics, NotFoundError, UnitOfWork, UnprocessableError } from '@fittrack/core';
import { type LockedBalance, UsersRepository } from '@fittrack/users';
import {
  PointTransaction,
  type ReferenceType,
  type TransactionType,
} from './entities/point-transaction.entity';
import { PointTransactionsRepository } from './point-transactions.repository';
import { type PointsChanged, PointsChangedHooks } from './points-changed.hooks';

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

/** One of a user's entries for `postMany`. */
export type Posting = Omit<PostEntry, 'userId'>;

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
 * The only writer of the points ledger. Every module that earns, spends or returns points calls `post`
 * (one entry) or `postMany` (a user's entries at once: ingestion).
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
    return (await this.lock(userId)).pointBalance;
  }

  private async lock(userId: string): Promise<LockedBalance> {
    const user = await this.users.lockBalance(userId);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /** Posts one entry: `postMany` of one. */
  async post(input: PostEntry): Promise<PostResult> {
    const { userId, ...posting } = input;
    const [result] = await this.postMany(userId, [posting]);
    return result;
  }

  /**
   * Posts a user's entries in order, atomically with whatever the caller's unit of work does (or in one of
   * its own): the user's ledger lock, the idempotency check, the entries with the next sequence numbers
   * and their balance_after, one conditional update of the balance, and the in-transaction "points
   * changed" hooks once per day earned on. Each entry decides from the balance the ones before it left,
   * exactly as posting them one by one would; one refused entry refuses them all. `decide` may stand for
   * the postings: it runs once the lock is held, so a caller reads what it pays from under the same lock
   * (ingestion), with one lock per posting.
   */
  async postMany(
    userId: string,
    decide: readonly Posting[] | (() => Promise<readonly Posting[]>),
  ): Promise<PostResult[]> {
    // Given postings are checked before anything is locked; decided ones as soon as they are known.
    if (typeof decide !== 'function') {
      decide.forEach((posting) => this.check(posting));
      if (!decide.length) return [];
    }
    const results = await this.unitOfWork.run(async (): Promise<PostResult[]> => {
      const { pointBalance, boardTier } = await this.lock(userId);
      let postings = decide;
      if (typeof postings === 'function') {
        postings = await postings();
        postings.forEach((posting) => this.check(posting));
      }
      if (!postings.length) return [];
      // Under the lock: a concurrent post with the same key has committed or not started.
      const { posted, latest: previous } = await this.ledger.forPosting(
        userId,
        postings.map((posting) => posting.idempotencyKey),
      );
      if ((previous?.balanceAfter ?? 0) !== pointBalance) {
        // The ledger and the balance disagree: refuse rather than chain a wrong balance_after.
        throw new Error(`Ledger of user ${userId} does not match its balance`);
      }
      const byKey = new Map(posted.map((entry) => [entry.idempotencyKey, entry]));
      const now = this.clock.now();
      const entries: PointTransaction[] = [];
      let balance = pointBalance;
      let earned = 0;
      let sequence = previous?.sequence ?? 0;
      const results = postings.map((posting): PostResult => {
        const existing = byKey.get(posting.idempotencyKey);
        if (existing) {
          if (existing.userId !== userId) throw new ConflictError('Idempotency key already used');
          return { entry: existing, replayed: true };
        }
        let { amount, description } = posting;
        if (balance + amount < 0) {
          if (!posting.clampToBalance) throw new ConflictError(INSUFFICIENT_POINTS);
          amount = -balance;
          description = `${description} (limited to the balance left)`;
          if (amount === 0) return { entry: null, replayed: false };
        }
        const earning = isEarning(posting.type, posting.reference);
        balance += amount;
        if (earning) earned += amount;
        const entry = Object.assign(new PointTransaction(), {
          id: randomUUID(),
          createdAt: now,
          userId,
          transactionType: posting.type,
          amount,
          balanceAfter: balance,
          sequence: ++sequence,
          referenceType: posting.reference?.type ?? null,
          referenceId: posting.reference?.id ?? null,
          description: description.slice(0, 255),
          idempotencyKey: posting.idempotencyKey,
          earnedOn: earning ? (posting.earnedOn ?? null) : null,
        });
        entries.push(entry);
        byKey.set(entry.idempotencyKey, entry); // the same key again in this batch replays it
        return { entry, replayed: false };
      });
      if (!entries.length) return results;
      if (!(await this.users.applyPoints(userId, balance - pointBalance, earned))) {
        throw new ConflictError(INSUFFICIENT_POINTS);
      }
      await this.ledger.appendMany(entries);
      await this.hooks.publish(earningByDay(entries, boardTier, now));
      return results;
    });
    // After the unit of work (committed unless the caller's own transaction still rolls back).
    const earned = results
      .filter((result) => result.entry && !result.replayed)
      .map((result) => result.entry!)
      .filter((entry) => entry.earnedOn !== null && entry.amount > 0)
      .reduce((sum, entry) => sum + entry.amount, 0);
    if (earned > 0) this.metrics.pointsEarned.inc(earned);
    return results;
  }

  private check(input: Posting): void {
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

/** The points-changed events of new entries: one per day earned on, with the day's summed change. */
function earningByDay(entries: PointTransaction[], tierCode: string | null, at: Date): PointsChanged[] {
  const byDay = new Map<string, PointsChanged>();
  for (const entry of entries) {
    if (entry.earnedOn === null) continue;
    const event = byDay.get(entry.earnedOn);
    if (event) event.delta += entry.amount;
    else
      byDay.set(entry.earnedOn, {
        userId: entry.userId,
        tierCode,
        earnedOn: entry.earnedOn,
        delta: entry.amount,
        at,
      });
  }
  return [...byDay.values()];
}
