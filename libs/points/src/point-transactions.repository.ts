import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { PointTransaction } from './entities/point-transaction.entity';

/** The append-only ledger: reads here; writes belong to the operations that award or spend points. */
@Injectable()
export class PointTransactionsRepository extends BaseRepository<PointTransaction> {
  protected readonly entityName = 'Point transaction';

  constructor(data: DataContext) {
    super(data, PointTransaction, {
      filters: { transaction_type: 'transactionType', user_id: 'userId' },
      sorts: { created_at: 'createdAt', amount: 'amount' },
      defaultSort: '-created_at',
    });
  }

  /**
   * Points earned since `since`: awards plus activity adjustments (downward revisions, reversed
   * duplicates), which is what the daily cap counts. Spending and refunds are not earning.
   */
  async earnedSince(userId: string, since: Date): Promise<number> {
    const row = await this.repository
      .createQueryBuilder('t')
      .select('COALESCE(SUM(t.amount), 0)', 'total')
      .where('t.userId = :userId', { userId })
      .andWhere('t.createdAt >= :since', { since })
      .andWhere(
        "(t.transactionType = 'earn' OR (t.transactionType = 'adjust' AND t.referenceType = 'activity'))",
      )
      .getRawOne<{ total: string | number }>();
    return Number(row?.total ?? 0);
  }
}
