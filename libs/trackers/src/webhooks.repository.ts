import { Injectable } from '@nestjs/common';
import { BaseRepository, DataContext, isUniqueViolation } from '@fittrack/core';
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
}
