import { Injectable } from '@nestjs/common';
import { BaseRepository, chunk, DataContext, hydrated } from '@fittrack/core';
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

  /**
   * What a posting reads under the user's lock, in one query per 1,000 keys: the entries already posted
   * under any of `idempotencyKeys` (by any user) and the user's latest entry (highest sequence; null for
   * an empty ledger). Raw SQL hydrated column by column: every purchase and ingest call runs it, and
   * TypeORM's query building and entity transformation cost more than the indexed lookups.
   */
  async forPosting(
    userId: string,
    idempotencyKeys: string[],
  ): Promise<{ posted: PointTransaction[]; latest: PointTransaction | null }> {
    const read = (this.postingRead ??= this.buildPostingRead());
    const driver = this.manager.connection.driver;
    const rows: PointTransaction[] = [];
    for (const [i, keys] of chunk([...new Set(idempotencyKeys)]).entries()) {
      const sql = read.sql(keys.length, i === 0);
      const values = { userId, ...Object.fromEntries(keys.map((key, j) => [`k${j}`, key])) };
      const raw = await this.manager.query<Array<Record<string, unknown>>>(
        ...driver.escapeQueryWithParameters(sql, values),
      );
      for (const row of raw) rows.push(hydrated(driver, read.columns, row, new PointTransaction()));
    }
    const keys = new Set(idempotencyKeys);
    // The latest entry is among the rows: the user's row of the highest sequence.
    const latest = rows
      .filter((row) => row.userId === userId)
      .reduce<PointTransaction | null>((top, row) => (!top || row.sequence > top.sequence ? row : top), null);
    return { posted: rows.filter((row) => keys.has(row.idempotencyKey)), latest };
  }

  private postingRead?: ReturnType<PointTransactionsRepository['buildPostingRead']>;

  private buildPostingRead() {
    const metadata = this.repository.metadata;
    const name = (property: string) => `"${metadata.findColumnWithPropertyName(property)!.databaseName}"`;
    const table = `"${metadata.tableName}"`;
    const select = metadata.columns.map((c) => `"t"."${c.databaseName}"`).join(', ');
    const latest =
      ` OR ("t".${name('userId')} = :userId AND "t".${name('sequence')} = ` +
      `(SELECT MAX("m".${name('sequence')}) FROM ${table} "m" WHERE "m".${name('userId')} = :userId))`;
    return {
      columns: metadata.columns,
      sql: (keys: number, withLatest: boolean) =>
        `SELECT ${select} FROM ${table} "t" WHERE "t".${name('idempotencyKey')} IN ` +
        `(${Array.from({ length: keys }, (_, j) => `:k${j}`).join(', ')})${withLatest ? latest : ''}`,
    };
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
