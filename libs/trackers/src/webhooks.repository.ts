import { Injectable } from '@nestjs/common';
import { BaseRepository, DataContext, isUniqueViolation } from '@fittrack/core';
import { In } from 'typeorm';
import { TerraWebhookEvent } from './entities/terra-webhook-event.entity';

@Injectable()
export class WebhookEventsRepository extends BaseRepository<TerraWebhookEvent> {
  protected readonly entityName = 'Webhook event';

  constructor(data: DataContext) {
    super(data, TerraWebhookEvent);
  }

  /** Stores a delivery once: null when the same body was stored before (a replay or Terra's retry). */
  async insertOnce(event: Partial<TerraWebhookEvent>): Promise<TerraWebhookEvent | null> {
    try {
      return await this.create(event);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Marks a received event processed (or ignored) and drops its body. False if another worker did it. */
  async finish(id: string, status: 'processed' | 'ignored'): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ status, payload: null, processedAt: this.data.clock.now() })
      .where('id = :id AND status = :received', { id, received: 'received' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes up to `limit` processed or ignored events received before `before`; never a `received` one
   * (its job has not run). Returns how many went, so a caller loops until fewer than `limit`. The ids are
   * read first and deleted by id: DELETE … LIMIT is not portable, and `limit` keeps each statement (and
   * Oracle's IN list, at most 1,000) short.
   */
  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    const rows = await this.repository
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where('e.status IN (:...done) AND e.createdAt < :before', { done: ['processed', 'ignored'], before })
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (rows.length === 0) return 0;
    await this.repository.delete({ id: In(rows.map((row) => row.id)) });
    return rows.length;
  }

  /**
   * Ids of up to `limit` events still `received` that arrived before `before`, oldest first: their job
   * should have run by then (WebhooksService.requeueStranded). The (status, created_at) index serves it.
   */
  async receivedBefore(before: Date, limit: number): Promise<string[]> {
    const rows = await this.repository
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where('e.status = :received AND e.createdAt < :before', { received: 'received', before })
      .orderBy('e.createdAt', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** The id of the event stored under `bodyHash` while it is still `received`, else null. */
  async receivedWithHash(bodyHash: string): Promise<string | null> {
    const row = await this.repository.findOne({
      select: { id: true },
      where: { bodyHash, status: 'received' },
    });
    return row?.id ?? null;
  }
}
