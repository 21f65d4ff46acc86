import { Injectable, Logger } from '@nestjs/common';
import { type AppConfig, Clock, InjectConfig, JobHandler, JobName } from '@fittrack/core';
import { WebhookEventsRepository } from './webhooks.repository';

export interface WebhookRetentionJob {
  /** The competition day the tick ran for (YYYY-MM-DD); also the job id's date. */
  date: string;
}

/** Rows per DELETE: short statements that never hold many locks, and within Oracle's 1,000-item IN list. */
export const WEBHOOK_PURGE_BATCH = 500;

/**
 * The daily purge of Terra webhook events: processed and ignored ones received more than
 * WEBHOOK_EVENT_RETENTION_DAYS ago are deleted (they keep only status and body hash once processed);
 * `received` ones, whose job has not run, are never touched.
 *
 * Why deleting a body's hash does not let its replay in: the hash's uniqueness refuses a replay only
 * while the row exists, but the signature check (terra-signature.ts) refuses any delivery whose
 * timestamp is more than TERRA_WEBHOOK_TOLERANCE_S from now, and a replay carries the original,
 * signed timestamp. An event accepted at r was signed at most one tolerance after r, so its replay stops
 * verifying by r + 2 × tolerance; parseConfig refuses a retention that is not longer than that.
 */
@Injectable()
export class WebhookRetentionHandler {
  private readonly logger = new Logger(WebhookRetentionHandler.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Idempotent: a retried or repeated run deletes what is still old enough, in batches of its own. */
  @JobHandler(JobName.PurgeWebhookEvents)
  async handle(data: unknown): Promise<void> {
    const { date } = data as WebhookRetentionJob;
    const days = this.config.terra.webhookEventRetentionDays;
    const before = new Date(this.clock.now().getTime() - days * 86_400_000);
    let deleted = 0;
    for (let batch = WEBHOOK_PURGE_BATCH; batch === WEBHOOK_PURGE_BATCH; deleted += batch) {
      batch = await this.events.deleteFinishedBefore(before, WEBHOOK_PURGE_BATCH);
    }
    this.logger.log(
      `Webhook retention for ${date}: ${deleted} events received before ${before.toISOString()} deleted`,
    );
  }
}
