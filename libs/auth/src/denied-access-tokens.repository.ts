import { Injectable } from '@nestjs/common';
import { LessThanOrEqual, MoreThan } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { DeniedAccessToken } from './entities/denied-access-token.entity';

/** Denied access tokens by `jti`, the deny-list's source of truth. */
@Injectable()
export class DeniedAccessTokensRepository extends BaseRepository<DeniedAccessToken> {
  protected readonly entityName = 'Denied token';

  constructor(data: DataContext) {
    super(data, DeniedAccessToken);
  }

  /** Records a denial (a second one for the same jti is a no-op) and prunes rows past their expiry. */
  async deny(jti: string, expiresAt: Date, now: Date): Promise<void> {
    if (!(await this.repository.existsBy({ id: jti }))) {
      try {
        await this.repository.insert({ id: jti, expiresAt });
      } catch (error) {
        // Two denials of one token racing: the primary key kept one, which is all we need.
        if (!(await this.repository.existsBy({ id: jti }))) throw error;
      }
    }
    await this.repository.delete({ expiresAt: LessThanOrEqual(now) });
  }

  /**
   * Asked on every authenticated request without Redis: one primary-key read written out, the expiry
   * compared here (TypeORM's query building cost more than the query).
   */
  async isDenied(jti: string, now: Date): Promise<boolean> {
    const metadata = this.repository.metadata;
    const expiresAt = metadata.findColumnWithPropertyName('expiresAt')!;
    const driver = this.manager.connection.driver;
    const sql = `SELECT "${expiresAt.databaseName}" AS "expires_at" FROM "${metadata.tableName}" WHERE "id" = :id`;
    const [row] = await this.manager.query<Array<{ expires_at: unknown }>>(
      ...driver.escapeQueryWithParameters(sql, { id: jti }),
    );
    if (!row) return false;
    return (driver.prepareHydratedValue(row.expires_at, expiresAt) as Date).getTime() > now.getTime();
  }

  /** Every denial still in force, to fill a cache. */
  live(now: Date): Promise<Array<Pick<DeniedAccessToken, 'id' | 'expiresAt'>>> {
    return this.repository.find({
      select: { id: true, expiresAt: true },
      where: { expiresAt: MoreThan(now) },
    });
  }
}
