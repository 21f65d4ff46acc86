import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { RefreshToken } from './entities/refresh-token.entity';

/** Refresh tokens by SHA-256; a family is one login session across rotations. */
@Injectable()
export class RefreshTokensRepository extends BaseRepository<RefreshToken> {
  protected readonly entityName = 'Refresh token';

  constructor(data: DataContext) {
    super(data, RefreshToken);
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.repository.findOneBy({ tokenHash });
  }

  findByAccessJti(userId: string, accessJti: string): Promise<RefreshToken | null> {
    return this.repository.findOneBy({ userId, accessJti });
  }

  /** Marks the token rotated; false when it was already rotated or revoked (a concurrent reuse). */
  async markRotated(id: string, at: Date): Promise<boolean> {
    const result = await this.repository.update(
      { id, rotatedAt: IsNull(), revokedAt: IsNull() },
      { rotatedAt: at },
    );
    return (result.affected ?? 0) === 1;
  }

  /**
   * Revokes live tokens matching `where` and returns the access-token ids issued with them, so those can
   * be denied too.
   */
  async revoke(
    where: { id?: string; familyId?: string; userId?: string },
    at: Date,
    exceptFamilyId?: string,
  ): Promise<string[]> {
    const criteria = {
      ...where,
      revokedAt: IsNull(),
      ...(exceptFamilyId ? { familyId: Not(exceptFamilyId) } : {}),
    };
    const live = await this.repository.find({ where: criteria, select: { id: true, accessJti: true } });
    if (live.length === 0) return [];
    await this.repository.update(criteria, { revokedAt: at });
    return live.map((token) => token.accessJti).filter((jti): jti is string => jti !== null);
  }
}
