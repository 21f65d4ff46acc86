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

  isDenied(jti: string, now: Date): Promise<boolean> {
    return this.repository.existsBy({ id: jti, expiresAt: MoreThan(now) });
  }

  /** Every denial still in force, to fill a cache. */
  live(now: Date): Promise<Array<Pick<DeniedAccessToken, 'id' | 'expiresAt'>>> {
    return this.repository.find({
      select: { id: true, expiresAt: true },
      where: { expiresAt: MoreThan(now) },
    });
  }
}
