import { Injectable } from '@nestjs/common';
import { Brackets, IsNull } from 'typeorm';
import { BaseRepository, DataContext } from '@fittrack/core';
import { type Provider, type SyncStatus, TrackerConnection } from './entities/tracker-connection.entity';

/** Who to write to about a connection. */
export interface Recipient {
  email: string;
  name: string;
}

/** Tracker connections; "live" means not deleted (TypeORM's finds skip soft-deleted rows). */
@Injectable()
export class ConnectionsRepository extends BaseRepository<TrackerConnection> {
  protected readonly entityName = 'Connection';

  constructor(data: DataContext) {
    super(data, TrackerConnection);
  }

  findLive(userId: string, provider: Provider): Promise<TrackerConnection | null> {
    return this.repository.findOneBy({ userId, provider });
  }

  listLive(userId: string): Promise<TrackerConnection[]> {
    return this.repository.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findByTerraUser(terraUserId: string): Promise<TrackerConnection | null> {
    return this.repository.findOneBy({ terraUserId });
  }

  /** Makes `id` the user's one primary (both statements in the caller's unit of work). */
  async makePrimary(userId: string, id: string): Promise<void> {
    await this.repository.update({ userId, deletedAt: IsNull() }, { isPrimary: false });
    await this.repository.update({ id }, { isPrimary: true });
  }

  /** After a delete: the oldest remaining connection becomes primary when none is. */
  async promoteOldest(userId: string): Promise<void> {
    const live = await this.listLive(userId);
    if (live.length && !live.some((c) => c.isPrimary)) await this.makePrimary(userId, live[0].id);
  }

  /**
   * Claims a manual sync: sets last_manual_sync_at only when the previous one is older than `cutoff`.
   * The row count decides, so two requests at once cannot both pass.
   */
  async claimManualSync(id: string, now: Date, cutoff: Date): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ lastManualSyncAt: now })
      .where('id = :id AND deleted_at IS NULL', { id })
      .andWhere(
        new Brackets((qb) =>
          qb.where('last_manual_sync_at IS NULL').orWhere('last_manual_sync_at <= :cutoff', { cutoff }),
        ),
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * One page of connections due for a sync (live, not waiting for the user to reconnect, and not synced
   * since `syncedBefore`), in id order after `afterId`.
   */
  async due(syncedBefore: Date, afterId: string | null, limit: number): Promise<string[]> {
    const qb = this.repository
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.reconnectRequired = :no', { no: false })
      .andWhere(
        new Brackets((inner) =>
          inner.where('c.lastSyncAt IS NULL').orWhere('c.lastSyncAt <= :syncedBefore', { syncedBefore }),
        ),
      )
      .orderBy('c.id', 'ASC')
      .limit(limit);
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
  }

  async setStatus(
    id: string,
    patch: {
      syncStatus: SyncStatus;
      lastError?: string | null;
      lastSyncAt?: Date;
      reconnectRequired?: boolean;
    },
  ): Promise<void> {
    await this.repository.update({ id }, patch);
  }

  /**
   * Moves the connection into "reconnect required" unless it is there already: true only for the one
   * caller that made the change (two refusals processed at once must not both email the user).
   */
  async claimReconnectRequired(id: string, reason: string): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ syncStatus: 'error', lastError: reason, reconnectRequired: true })
      .where('id = :id AND reconnect_required = :no', { id, no: false })
      .execute();
    return result.affected === 1;
  }

  /** The user's email and display name (a user without a profile is greeted by email). */
  async recipientOf(userId: string): Promise<Recipient | null> {
    const row = await this.manager
      .createQueryBuilder()
      .select(['u.email AS "email"', 'p.display_name AS "display_name"'])
      .from('users', 'u')
      .leftJoin('profiles', 'p', 'p.user_id = u.id')
      .where('u.id = :userId AND u.deleted_at IS NULL', { userId })
      .getRawOne<{ email: string; display_name: string | null }>();
    return row ? { email: row.email, name: row.display_name ?? row.email } : null;
  }
}
