import { Column, Entity, Index } from 'typeorm';
import { BaseEntity, columnTypes } from '@fittrack/core';

const types = columnTypes();

export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'ignored'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * One verified Terra webhook delivery (one chunk of a chunked one), stored before the 200 and processed
 * through the queue. The body's hash is unique, so Terra's retries and replays are stored once.
 */
@Entity('terra_webhook_events')
// The retention purge: finished events older than a cutoff, as a range (ADR 0028).
@Index('ix_terra_webhook_events_status_created', ['status', 'createdAt'])
export class TerraWebhookEvent extends BaseEntity {
  /** SHA-256 of the raw body, hex. */
  @Index('uq_terra_webhook_events_body', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  bodyHash!: string;

  @Column({ type: 'varchar', length: 32 })
  eventType!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  terraUserId!: string | null;

  /** `terra-reference`: shared by the chunks of one logical delivery. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  terraReference!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  traceId!: string | null;

  /** The raw body as received; dropped once processed. */
  @Column({ type: types.text, nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'received' })
  status!: WebhookEventStatus;

  @Column({ type: types.timestamp, nullable: true })
  processedAt!: Date | null;
}
