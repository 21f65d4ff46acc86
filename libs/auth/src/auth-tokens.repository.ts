import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { AuthToken, AuthTokenPurpose } from './entities/auth-token.entity';

/** Emailed single-use tokens, looked up by their SHA-256. */
@Injectable()
export class AuthTokensRepository extends BaseRepository<AuthToken> {
  protected readonly entityName = 'Token';

  constructor(data: DataContext) {
    super(data, AuthToken);
  }

  findByHash(purpose: AuthTokenPurpose, tokenHash: string): Promise<AuthToken | null> {
    return this.repository.findOneBy({ purpose, tokenHash });
  }

  /** Marks the token used; false when another request used it first (single use under concurrency). */
  async consume(id: string, at: Date): Promise<boolean> {
    const result = await this.repository.update({ id, usedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) === 1;
  }

  /** Retires a user's outstanding tokens of one purpose (a new email supersedes the old link). */
  async consumeAllFor(userId: string, purpose: AuthTokenPurpose, at: Date): Promise<void> {
    await this.repository.update({ userId, purpose, usedAt: IsNull() }, { usedAt: at });
  }
}
