import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { BaseRepository, chunk, DataContext } from '@fittrack/core';
import { PointTransaction } from './entities/point-transaction.entity';

/** Earning: awards and the adjusts of an activity's award. Spending, refunds and admin adjusts are not. */
const EARNING =
  "(t.transactionType = 'earn' OR (t.transactionType = 'adjust' AND t.referenceType = 'activity'))";

/**
 * The append-only ledger. It has no update or delete; `appendMany` is called by LedgerService.postMany alone,
 * under the user's ledger lock.
 */
@Injectable()
export class PointTransactionsRepository extends BaseRepository<PointTransaction> {
  protected readonly entityName = 'Point transaction';

  constructor(data: DataContext) {
    super(data, PointTransaction, {
      filters: { transaction_type: 'transactionType', user_id: 'userId' },
      sorts: { created_at: 'createdAt', amount: 'amount', sequence: 'sequence' },
      // One user's entries can share a millisecond: their sequence keeps them in ledger order.
      defaultSort: '-created_at,-sequence',
    });
  }

  /** The entries posted under any of these idempotency keys. */
  async findByIdempotencyKeys(idempotencyKeys: string[]): Promise<PointTransaction[]> {
    const entries: PointTransaction[] = [];
    for (const keys of chunk([...new Set(idempotencyKeys)])) {
      entries.push(...(await this.repository.findBy({ idempotencyKey: In(keys) })));
    }
    return entries;
  }

  /** The user's latest entry (highest sequence), or null for an empty ledger. */
  latest(userId: string): Promise<PointTransaction | null> {
    return this.repository
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere(
        (qb) =>
          `t.sequence = ${qb.subQuery().select('MAX(m.sequence)').from(PointTransaction, 'm').where('m.userId = :userId').getQuery()}`,
      )
      .getOne();
  }

  /**
   * Inserts entries (ids and creation times come with them) in multi-row INSERTs; a repeated idempotency
   * key or sequence fails on its unique index.
   */
  async appendMany(entries: PointTransaction[]): Promise<void> {
    for (const part of chunk(entries, 100)) {
      await this.repository.createQueryBuilder().insert().values(part).updateEntity(false).execute();
    }
  }

  /** Points earned that count for `day` (what the daily cap and `today_earned` count). */
  async earnedOn(userId: string, day: string): Promise<number> {
    const row = await this.repository
      .createQueryBuilder('t')
      .select('COALESCE(SUM(t.amount), 0)', 'total')
      .where('t.userId = :userId', { userId })
      .andWhere('t.earnedOn = :day', { day })
      .andWhere(EARNING)
      .getRawOne<{ total: string | number }>();
    return Number(row?.total ?? 0);
  }
}
