import { Injectable } from '@nestjs/common';
import { Brackets, In } from 'typeorm';
import {
  addDays,
  type AppConfig,
  BaseRepository,
  chunk,
  DataContext,
  InjectConfig,
  LIST_ALIAS,
  startOfDayIn,
} from '@fittrack/core';
import { Activity } from './entities/activity.entity';
import { TrackerConnection } from './entities/tracker-connection.entity';

/** What the engine needs to know about the owner of a record. */
export interface OwnerFacts {
  timeZone: string | null;
  tierCode: string | null;
}

export type ConnectionFacts = Pick<TrackerConnection, 'id' | 'provider' | 'isPrimary' | 'createdAt'>;

/** Activities; date filters are whole calendar days in the competition time zone. */
@Injectable()
export class ActivitiesRepository extends BaseRepository<Activity> {
  protected readonly entityName = 'Activity';

  constructor(data: DataContext, @InjectConfig() config: AppConfig) {
    const zone = config.competitionTimeZone;
    super(data, Activity, {
      filters: {
        activity_type: 'activityType',
        user_id: 'userId',
        start_date: (qb, date) =>
          qb.andWhere(`${LIST_ALIAS}.startTime >= :fromTime`, { fromTime: startOfDayIn(date, zone) }),
        // Inclusive: everything starting before the next day begins.
        end_date: (qb, date) =>
          qb.andWhere(`${LIST_ALIAS}.startTime < :toTime`, { toTime: startOfDayIn(addDays(date, 1), zone) }),
      },
      sorts: { start_time: 'startTime', created_at: 'createdAt', points_earned: 'pointsEarned' },
      defaultSort: '-start_time',
    });
  }

  /** The profile's time zone and tier (null for a user without a profile, e.g. an admin). */
  async ownerFacts(userId: string): Promise<OwnerFacts> {
    const row = await this.manager
      .createQueryBuilder()
      .select(['p.timezone AS "timezone"', 'p.tier_code AS "tier_code"'])
      .from('profiles', 'p')
      .where('p.user_id = :userId', { userId })
      .getRawOne<{ timezone: string | null; tier_code: string | null }>();
    return { timeZone: row?.timezone ?? null, tierCode: row?.tier_code ?? null };
  }

  /**
   * The owner facts with the user's live tracker connections, in one query (what ingestion prices a
   * user's records by): the user row drives it, so a user with no profile or no connection still answers.
   */
  async ownerWithConnections(userId: string): Promise<OwnerFacts & { connections: ConnectionFacts[] }> {
    const connection = this.manager.connection.getMetadata(TrackerConnection);
    const column = (property: keyof ConnectionFacts) => connection.findColumnWithPropertyName(property)!;
    const rows = await this.manager
      .createQueryBuilder()
      .select(['p.timezone AS "timezone"', 'p.tier_code AS "tier_code"'])
      .addSelect(['c.id AS "id"', 'c.provider AS "provider"', 'c.is_primary AS "is_primary"'])
      .addSelect('c.created_at', 'created_at')
      .from('users', 'u')
      .leftJoin('profiles', 'p', 'p.user_id = u.id')
      .leftJoin(connection.tableName, 'c', 'c.user_id = u.id AND c.deleted_at IS NULL')
      .where('u.id = :userId', { userId })
      .getRawMany<{
        timezone: string | null;
        tier_code: string | null;
        id: string | null;
        provider: ConnectionFacts['provider'];
        is_primary: unknown;
        created_at: unknown;
      }>();
    const driver = this.manager.connection.driver;
    return {
      timeZone: rows[0]?.timezone ?? null,
      tierCode: rows[0]?.tier_code ?? null,
      connections: rows
        .filter((row) => row.id !== null)
        .map((row) => ({
          id: row.id!,
          provider: row.provider,
          // Raw values as the driver returns them (0/1, text dates on SQLite): hydrated like the entity's.
          isPrimary: Boolean(driver.prepareHydratedValue(row.is_primary, column('isPrimary'))),
          createdAt: driver.prepareHydratedValue(row.created_at, column('createdAt')) as Date,
        })),
    };
  }

  /**
   * The user's stored records with any of these external ids (any provider: the caller matches the
   * provider) or on any of these days, in one query while both lists fit one IN-list (ingestion's read).
   */
  async findByExternalIdsOrDays(userId: string, externalIds: string[], days: string[]): Promise<Activity[]> {
    const idChunks = chunk([...new Set(externalIds)]);
    const dayChunks = chunk([...new Set(days)]);
    const rows = new Map<string, Activity>();
    for (let i = 0; i < Math.max(idChunks.length, dayChunks.length); i++) {
      const [ids, part] = [idChunks[i] ?? [], dayChunks[i] ?? []];
      const found = await this.repository
        .createQueryBuilder('a')
        .where('a.userId = :userId', { userId })
        .andWhere(
          new Brackets((qb) => {
            if (ids.length) qb.orWhere('a.externalId IN (:...ids)', { ids });
            if (part.length) qb.orWhere('a.day IN (:...part)', { part });
          }),
        )
        .getMany();
      for (const row of found) rows.set(row.id, row);
    }
    return [...rows.values()];
  }

  /** Every record of the user's days (withdrawn and duplicates too: the day is recomputed from all). */
  async findByDays(userId: string, days: string[]): Promise<Activity[]> {
    const rows: Activity[] = [];
    for (const part of chunk([...new Set(days)])) {
      rows.push(...(await this.repository.findBy({ userId, day: In(part) })));
    }
    return rows;
  }

  /** The user's records of the days `from`..`to` (inclusive), for summaries. */
  findBetweenDays(userId: string, from: string, to: string): Promise<Activity[]> {
    return this.repository
      .createQueryBuilder('a')
      .where('a.userId = :userId AND a.day >= :from AND a.day <= :to', { userId, from, to })
      .getMany();
  }

  /** Days up to `today` on which the user earned points, newest first (at most `limit`). */
  async earningDays(userId: string, today: string, limit: number): Promise<string[]> {
    const rows = await this.repository
      .createQueryBuilder('a')
      .select('a.day', 'day')
      .where('a.userId = :userId AND a.day <= :today', { userId, today })
      .groupBy('a.day')
      .having('SUM(a.pointsEarned) > 0')
      .orderBy('a.day', 'DESC')
      .limit(limit)
      .getRawMany<{ day: string }>();
    return rows.map((row) => row.day);
  }

  /** New records in multi-row INSERTs; ids and timestamps come with the rows. */
  async insertMany(rows: Partial<Activity>[]): Promise<void> {
    for (const part of chunk(rows, 100)) {
      await this.repository.createQueryBuilder().insert().values(part).updateEntity(false).execute();
    }
  }

  /** One UPDATE of the given columns (no read first); `updatedAt` from the clock. */
  async patch(id: string, patch: Partial<Activity>): Promise<void> {
    await this.repository
      .createQueryBuilder()
      .update()
      .set({ ...patch, updatedAt: this.data.clock.now() } as never)
      .where('id = :id', { id })
      .execute();
  }
}
