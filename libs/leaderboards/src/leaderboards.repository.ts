import { Injectable } from '@nestjs/common';
import { type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import { addingUpsertSql, chunk, currentDbType, DataContext } from '@fittrack/core';
import { Profile, User } from '@fittrack/users';
import { LeaderboardRollup } from './entities/leaderboard-rollup.entity';

/** One board: a tier's rows of one period. */
export interface Board {
  tierCode: string;
  periodKey: string;
}

export interface RankedRow {
  rank: number;
  userId: string;
  points: number;
}

/**
 * The leaderboard rollups. Every query runs on the current unit of work's EntityManager (ADR 0009), so the
 * points-changed hook's writes join the transaction that posts the points. Reads order a board exactly
 * as the rank index does (points descending, reached_at, user id): a page is a range scan of it and a
 * rank is a counted range.
 */
@Injectable()
export class LeaderboardsRepository {
  constructor(private readonly data: DataContext) {}

  private get manager(): EntityManager {
    return this.data.txHost.tx;
  }

  private get rollups(): Repository<LeaderboardRollup> {
    return this.manager.getRepository(LeaderboardRollup);
  }

  /** The user's tier as the profile says now (null: none yet, or the account is soft-deleted). */
  async tierOf(userId: string): Promise<string | null> {
    const profile = await this.manager
      .getRepository(Profile)
      .createQueryBuilder('p')
      .select('p.tierCode', 'tierCode')
      // A deleted account's later earning (a late correction) must not put it back on a board.
      .innerJoin(User, 'u', 'u.id = p.userId AND u.deletedAt IS NULL')
      .where('p.userId = :userId', { userId })
      .getRawOne<{ tierCode: string | null }>();
    return profile?.tierCode ?? null;
  }

  /**
   * Adds each row's points to the user's rollup of that period (a row per user and period key: callers
   * sum first), creating missing rollups on the row's tier, and stamps them `reachedAt`: one upsert
   * statement (ON CONFLICT or MERGE, dialect.ts), so a period's first earning costs no extra round trip.
   * An existing rollup keeps its tier (a tier change moves the rows itself).
   */
  async addEarnings(rows: LeaderboardRollup[]): Promise<void> {
    const metadata = this.manager.connection.getMetadata(LeaderboardRollup);
    const properties = ['userId', 'periodKey', 'tierCode', 'points', 'reachedAt'] as const;
    const columns = properties.map((property) => metadata.findColumnWithPropertyName(property)!);
    const name = (property: (typeof properties)[number]) =>
      columns[properties.indexOf(property)].databaseName;
    const driver = this.manager.connection.driver;
    for (const part of chunk(rows, 100)) {
      const sql = addingUpsertSql(currentDbType(), {
        table: metadata.tableName,
        columns: columns.map((column) => column.databaseName),
        key: [name('userId'), name('periodKey')],
        add: [name('points')],
        set: [name('reachedAt')],
        rows: part.length,
      });
      const values = Object.fromEntries(
        part.flatMap((row, i) => columns.map((column, j) => [`v${i}_${j}`, column.getEntityValue(row)])),
      );
      await this.manager.query(...driver.escapeQueryWithParameters(sql, values));
    }
  }

  /** Moves every row of the user to `tierCode`'s boards (a tier change takes the period points along). */
  async moveTier(userId: string, tierCode: string | null): Promise<void> {
    await this.rollups.update({ userId }, { tierCode });
  }

  private board({ tierCode, periodKey }: Board): SelectQueryBuilder<LeaderboardRollup> {
    return this.rollups
      .createQueryBuilder('r')
      .where('r.tierCode = :tierCode AND r.periodKey = :periodKey AND r.points > 0', { tierCode, periodKey });
  }

  /** Users ranked on the board (0 points: not ranked). */
  count(board: Board): Promise<number> {
    return this.board(board).getCount();
  }

  /** Ranks `skip + 1` .. `skip + take` of the board. */
  async ranked(board: Board, skip: number, take: number): Promise<RankedRow[]> {
    if (take <= 0) return [];
    const rows = await this.board(board)
      .select(['r.userId AS "userId"', 'r.points AS "points"'])
      .orderBy('r.points', 'DESC')
      .addOrderBy('r.reachedAt', 'ASC')
      .addOrderBy('r.userId', 'ASC')
      .offset(skip)
      .limit(take)
      .getRawMany<{ userId: string; points: number | string }>();
    return rows.map((row, i) => ({ rank: skip + i + 1, userId: row.userId, points: Number(row.points) }));
  }

  /**
   * The user's rank and points on the board, or null when not ranked there: 1 + the rows ahead of theirs
   * (more points; or as many, reached earlier; or the same instant and a smaller id). `points >= :points`
   * bounds the count to the index range ahead of the user.
   */
  async position(
    board: Board,
    userId: string,
  ): Promise<{ rank: number; points: number; reachedAt: unknown } | null> {
    const own = await this.board(board)
      .select(['r.points AS "points"', 'r.reachedAt AS "reachedAt"'])
      .andWhere('r.userId = :userId', { userId })
      .getRawOne<{ points: number | string; reachedAt: unknown }>();
    if (!own) return null;
    const ahead = await this.board(board)
      .andWhere('r.points >= :points', { points: own.points })
      .andWhere(
        '(r.points > :points OR r.reachedAt < :reachedAt OR (r.reachedAt = :reachedAt AND r.userId < :userId))',
        // The stored value as read: the same representation compares equal on every driver.
        { points: own.points, reachedAt: own.reachedAt, userId },
      )
      .getCount();
    return { rank: ahead + 1, points: Number(own.points), reachedAt: own.reachedAt };
  }

  /**
   * The user's position (null when not ranked) and the board's size from one scan of the board's range
   * of the rank index, for a read that needs both: counting the board and the rows ahead of the user
   * separately walked the range ahead twice (~50,000 entries more for a user ranked 50,000).
   */
  async positionAndTotal(
    board: Board,
    userId: string,
  ): Promise<{ position: { rank: number; points: number; reachedAt: unknown } | null; total: number }> {
    const own = await this.board(board)
      .select(['r.points AS "points"', 'r.reachedAt AS "reachedAt"'])
      .andWhere('r.userId = :userId', { userId })
      .getRawOne<{ points: number | string; reachedAt: unknown }>();
    if (!own) return { position: null, total: await this.count(board) };
    const counts = await this.board(board)
      .select('COUNT(*)', 'total')
      .addSelect(
        'SUM(CASE WHEN r.points > :points OR (r.points = :points AND (r.reachedAt < :reachedAt OR ' +
          '(r.reachedAt = :reachedAt AND r.userId < :userId))) THEN 1 ELSE 0 END)',
        'ahead',
      )
      .setParameters({ points: own.points, reachedAt: own.reachedAt, userId })
      .getRawOne<{ total: number | string; ahead: number | string | null }>();
    return {
      position: {
        rank: Number(counts?.ahead ?? 0) + 1,
        points: Number(own.points),
        reachedAt: own.reachedAt,
      },
      total: Number(counts?.total ?? 0),
    };
  }

  /**
   * Up to `each` ranks either side of the user's own (`position` from `position()`), the user's row
   * included: two keyset scans of the rank index from the user's row (backwards for the rows ahead,
   * forwards for the rest) instead of an OFFSET that walks every row ahead of them.
   */
  async around(
    board: Board,
    userId: string,
    position: { rank: number; points: number; reachedAt: unknown },
    each: number,
  ): Promise<RankedRow[]> {
    const at = { points: position.points, reachedAt: position.reachedAt, userId };
    const toRow = (row: { userId: string; points: number | string }, rank: number): RankedRow => ({
      rank,
      userId: row.userId,
      points: Number(row.points),
    });
    const ahead = await this.board(board)
      .select(['r.userId AS "userId"', 'r.points AS "points"'])
      .andWhere('r.points >= :points', at)
      .andWhere(
        '(r.points > :points OR r.reachedAt < :reachedAt OR (r.reachedAt = :reachedAt AND r.userId < :userId))',
        at,
      )
      .orderBy('r.points', 'ASC')
      .addOrderBy('r.reachedAt', 'DESC')
      .addOrderBy('r.userId', 'DESC')
      .limit(each)
      .getRawMany<{ userId: string; points: number | string }>();
    const from = await this.board(board)
      .select(['r.userId AS "userId"', 'r.points AS "points"'])
      .andWhere('r.points <= :points', at)
      .andWhere(
        '(r.points < :points OR r.reachedAt > :reachedAt OR (r.reachedAt = :reachedAt AND r.userId >= :userId))',
        at,
      )
      .orderBy('r.points', 'DESC')
      .addOrderBy('r.reachedAt', 'ASC')
      .addOrderBy('r.userId', 'ASC')
      .limit(each + 1)
      .getRawMany<{ userId: string; points: number | string }>();
    return [
      ...ahead.reverse().map((row, i) => toRow(row, position.rank - ahead.length + i)),
      ...from.map((row, i) => toRow(row, position.rank + i)),
    ];
  }
}
