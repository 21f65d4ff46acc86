import { Injectable } from '@nestjs/common';
import { type EntityMetadata, In, type QueryDeepPartialEntity } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import {
  BaseRepository,
  chunk,
  DataContext,
  hydrated,
  LIST_ALIAS,
  rowLock,
  UnitOfWork,
} from '@fittrack/core';
import { User } from './entities/user.entity';
import { Profile } from './entities/profile.entity';
import { AccessCache, type UserAccess } from './access-cache';

/** What the ledger's per-user lock reads (UsersRepository.lockBalance). */
export interface LockedBalance {
  id: string;
  pointBalance: number;
  /** The tier whose boards the user's earning counts on; null without one or once deleted. */
  boardTier: string | null;
}

/**
 * Users with their profile (one aggregate). Every method that writes a user row (but the balance) tells
 * the access cache, so role, status and deletion take effect on the next request (ADR 0020).
 */
@Injectable()
export class UsersRepository extends BaseRepository<User> {
  protected readonly entityName = 'User';

  constructor(
    data: DataContext,
    private readonly accessCache: AccessCache,
    private readonly unitOfWork: UnitOfWork,
  ) {
    super(data, User, {
      filters: {
        role: 'role',
        status: 'status',
        email: (qb, value) =>
          qb.andWhere(`${LIST_ALIAS}.email = :email`, { email: value.trim().toLowerCase() }),
        tier_code: (qb, value) =>
          // Quoted: Oracle folds unquoted names to upper case, and the schema's names are lower case.
          qb.andWhere(
            `${LIST_ALIAS}.id IN (SELECT "p"."user_id" FROM "profiles" "p" WHERE "p"."tier_code" = :tier)`,
            {
              tier: value,
            },
          ),
      },
      sorts: { created_at: 'createdAt', email: 'email' },
      defaultSort: '-created_at',
    });
  }

  override get(id: string): Promise<User | null> {
    return this.repository.findOne({ where: { id }, relations: { profile: true } });
  }

  /**
   * What the access guard needs on every request: no profile join, four columns; from the access cache
   * while it holds the user (ADR 0020).
   */
  findAccess(id: string): Promise<UserAccess | null> {
    return this.accessCache.read(id, async () => {
      const read = (this.accessRead ??= this.buildAccessRead());
      const driver = this.manager.connection.driver;
      const [row] = await this.manager.query<Array<Record<string, unknown>>>(
        ...driver.escapeQueryWithParameters(read.sql, { id }),
      );
      return row ? hydrated(driver, read.columns, row, {} as UserAccess) : null;
    });
  }

  /** One primary-key read written out once: a cache miss runs it, and TypeORM's findOne cost more. */
  private accessRead?: { sql: string; columns: ColumnMetadata[] };

  private buildAccessRead(): { sql: string; columns: ColumnMetadata[] } {
    const metadata = this.repository.metadata;
    const columns = ['id', 'email', 'role', 'status'].map((name) =>
      metadata.findColumnWithPropertyName(name)!,
    );
    const select = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const sql = `SELECT ${select} FROM "${metadata.tableName}" WHERE "id" = :id AND "deleted_at" IS NULL`;
    return { sql, columns };
  }

  findByEmail(email: string): Promise<User | null> {
    return this.repository.findOne({
      where: { email: email.trim().toLowerCase() },
      relations: { profile: true },
    });
  }

  protected override loadByIds(ids: string[]): Promise<User[]> {
    return this.repository.find({ where: ids.map((id) => ({ id })), relations: { profile: true } });
  }

  /** Creates the user and profile (callers run it in a unit of work). */
  async createWithProfile(user: Partial<User>, profile: Partial<Profile>): Promise<User> {
    const manager = this.manager;
    const saved = await manager.save(manager.create(User, user));
    saved.profile = await manager.save(manager.create(Profile, { ...profile, userId: saved.id }));
    return saved;
  }

  /** A single UPDATE of the given columns (no read first). */
  async updateColumns(id: string, patch: QueryDeepPartialEntity<User>): Promise<void> {
    await this.repository.update({ id }, patch);
    await this.accessChanged(id);
  }

  override async update(id: string, patch: Partial<User>): Promise<User> {
    const updated = await super.update(id, patch);
    await this.accessChanged(id);
    return updated;
  }

  override async softDelete(id: string): Promise<void> {
    await super.softDelete(id);
    await this.accessChanged(id);
  }

  /**
   * Forgets the user's cached access now (this process reads the row afresh, even inside the unit of
   * work) and, once the change is committed, again in every process: a read in between could have stored
   * the row as it was before the commit.
   */
  private async accessChanged(id: string): Promise<void> {
    this.accessCache.forget(id);
    await this.unitOfWork.afterCommit(() => this.accessCache.forgetEverywhere(id));
  }

  /**
   * The user's balance, with the row locked until the unit of work ends (FOR UPDATE on PostgreSQL and
   * Oracle; SQLite runs units one at a time): the ledger's per-user lock. Also the tier whose boards the
   * user's earning counts on, so the ledger's points-changed event carries it: null without a tier, or
   * once the account is soft-deleted (a late correction must not put it back on a board). The tier comes
   * from a scalar subquery: FOR UPDATE refuses the nullable side of an outer join. No FETCH FIRST: Oracle
   * refuses it next to FOR UPDATE.
   */
  async lockBalance(userId: string): Promise<LockedBalance | null> {
    const query = this.repository
      .createQueryBuilder('u')
      .select(['u.id AS "id"', 'u.pointBalance AS "pointBalance"', 'u.deletedAt AS "deletedAt"'])
      .addSelect((sub) => sub.select('p.tierCode').from(Profile, 'p').where('p.userId = u.id'), 'tierCode')
      .withDeleted()
      .where('u.id = :userId', { userId });
    const lock = rowLock();
    if (lock) query.setLock(lock);
    const row = await query.getRawOne<{
      id: string;
      pointBalance: number | string;
      deletedAt: unknown;
      tierCode: string | null;
    }>();
    if (!row) return null;
    return {
      id: row.id,
      pointBalance: Number(row.pointBalance),
      boardTier: row.deletedAt ? null : (row.tierCode ?? null),
    };
  }

  /**
   * Moves the balance (and the lifetime earnings) by one atomic conditional update; false when it would
   * take either below zero, so the row count decides, not a value read earlier.
   */
  async applyPoints(userId: string, amount: number, earned: number): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({
        pointBalance: () => 'point_balance + :amount',
        totalPointsEarned: () => 'total_points_earned + :earned',
      })
      .where('id = :userId AND point_balance + :amount >= 0 AND total_points_earned + :earned >= 0')
      .setParameters({ userId, amount, earned })
      .execute();
    return result.affected === 1;
  }

  /** Users born on any of `dates` (YYYY-MM-DD) who have a demographic tier: the birthday job's candidates. */
  async idsBornOn(dates: string[]): Promise<string[]> {
    if (!dates.length) return [];
    const rows = await this.manager
      .getRepository(Profile)
      .createQueryBuilder('p')
      .select('p.userId', 'userId')
      .where('p.dateOfBirth IN (:...dates)', { dates })
      .andWhere('p.tierCode IS NOT NULL')
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  /** Display names by user id (a user without a profile is absent): boards, draw results, compliance reports. */
  async displayNames(userIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    // A whole board's names at once (ADR 0031): Oracle takes at most 1,000 binds in an IN-list.
    for (const ids of chunk([...new Set(userIds)])) {
      const profiles = await this.manager.getRepository(Profile).find({
        select: { userId: true, displayName: true },
        where: { userId: In(ids) },
      });
      for (const profile of profiles) names.set(profile.userId, profile.displayName);
    }
    return names;
  }

  saveProfile(profile: Profile): Promise<Profile> {
    return this.manager.getRepository(Profile).save(profile);
  }

  /** Soft-deleted accounts too: their email stays taken (the unique index covers every row). */
  findByEmailWithDeleted(email: string): Promise<User | null> {
    return this.repository.findOne({ where: { email: email.trim().toLowerCase() }, withDeleted: true });
  }

  /** Updates the user and their profile (in the caller's unit of work); the user's updated_at always moves. */
  async updateWithProfile(
    user: User,
    userPatch: Partial<User>,
    profilePatch: Partial<Profile>,
  ): Promise<User> {
    const manager = this.manager;
    if (user.profile && Object.keys(profilePatch).length) {
      user.profile = await manager.save(Object.assign(user.profile, profilePatch));
    }
    // A profile-only change is still a change to the account: bump its version and update time.
    const saved = await manager.save(Object.assign(user, userPatch, { version: user.version + 1 }));
    await this.accessChanged(user.id);
    return saved;
  }

  /**
   * One user with profile and live tracker connections (GET /users/me and /users/{id}) in one statement,
   * hydrated from the entities' metadata: TypeORM's query building and entity transformation cost more
   * than the query itself on this per-request path. Null when absent or soft-deleted.
   */
  async getWithConnections(id: string): Promise<{ user: User; connections: ConnectionSummary[] } | null> {
    const read = (this.singleRead ??= this.buildSingleRead());
    const driver = this.manager.connection.driver;
    const rows = await this.manager.query<Array<Record<string, unknown>>>(
      ...driver.escapeQueryWithParameters(read.sql, { id }),
    );
    if (!rows.length) return null;
    const hydrate = <T extends object>([meta, columns, alias]: Part, row: Record<string, unknown>): T =>
      hydrated(driver, columns, row, meta.create() as T, `${alias}_`);
    const [user, profile, connection] = read.parts;
    const found = hydrate<User>(user, rows[0]);
    if (rows[0].p_id != null) found.profile = hydrate<Profile>(profile, rows[0]);
    const connections = rows
      .filter((row) => row.c_id != null)
      .map((row) => hydrate<ConnectionSummary>(connection, row));
    return { user: found, connections };
  }

  private singleRead?: { sql: string; parts: Part[] };

  private buildSingleRead(): { sql: string; parts: Part[] } {
    const connection = this.manager.connection;
    const tracker = connection.getMetadata('TrackerConnection');
    const summary = ['id', 'provider', 'isPrimary', 'syncStatus', 'lastSyncAt'];
    const parts: Part[] = [
      [connection.getMetadata(User), connection.getMetadata(User).columns, 'u'],
      [connection.getMetadata(Profile), connection.getMetadata(Profile).columns, 'p'],
      [tracker, tracker.columns.filter((c) => summary.includes(c.propertyName)), 'c'],
    ];
    // Quoted names throughout: Oracle folds unquoted ones to upper case.
    const select = parts.flatMap(([, columns, alias]) =>
      columns.map((c) => `"${alias}"."${c.databaseName}" AS "${alias}_${c.databaseName}"`),
    );
    const [[user], [profile]] = parts;
    const sql =
      `SELECT ${select.join(', ')} FROM "${user.tableName}" "u" ` +
      `LEFT JOIN "${profile.tableName}" "p" ON "p"."user_id" = "u"."id" ` +
      `LEFT JOIN "${tracker.tableName}" "c" ON "c"."user_id" = "u"."id" AND "c"."deleted_at" IS NULL ` +
      `WHERE "u"."id" = :id AND "u"."deleted_at" IS NULL ORDER BY "c"."provider"`;
    return { sql, parts };
  }
}

/** An entity, the columns read of it, and its alias in the statement. */
type Part = [EntityMetadata, ColumnMetadata[], string];

export interface ConnectionSummary {
  userId?: string;
  provider: string;
  isPrimary: boolean;
  syncStatus: string;
  lastSyncAt: Date | null;
}
