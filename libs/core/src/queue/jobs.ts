/** Every job the system runs, and the queue each belongs to. A job name without exactly one handler fails startup. */
export enum QueueName {
  Email = 'email',
  Sweepstakes = 'sweepstakes',
  Maintenance = 'maintenance',
  Trackers = 'trackers',
}

export enum JobName {
  SendEmail = 'send-email',
  /** Every minute: opens, closes and executes the drawings that are due (DrawingExecutionService.tick). */
  RunDueDrawings = 'run-due-drawings',
  /** Hourly: prize claim reminders (7 days) and forfeits (14 days), FulfillmentService.processDeadlines. */
  RunFulfillmentDeadlines = 'run-fulfillment-deadlines',
  /** Daily: recalculates the tiers of users whose birthday moved them to another age bracket. */
  RecalculateBirthdayTiers = 'recalculate-birthday-tiers',
  /** Fetches a tracker connection's Terra data for its window, normalises and ingests it. */
  SyncConnection = 'sync-connection',
  /** Processes one stored, verified Terra webhook delivery. */
  ProcessTerraWebhook = 'process-terra-webhook',
  /** Deauthenticates a deleted connection's Terra user. */
  DeauthenticateTerraUser = 'deauthenticate-terra-user',
  /** Daily: deletes processed and ignored Terra webhook events past WEBHOOK_EVENT_RETENTION_DAYS. */
  PurgeWebhookEvents = 'purge-webhook-events',
}

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.SendEmail]: QueueName.Email,
  [JobName.RunDueDrawings]: QueueName.Sweepstakes,
  [JobName.RunFulfillmentDeadlines]: QueueName.Sweepstakes,
  [JobName.RecalculateBirthdayTiers]: QueueName.Maintenance,
  [JobName.SyncConnection]: QueueName.Trackers,
  [JobName.ProcessTerraWebhook]: QueueName.Trackers,
  [JobName.DeauthenticateTerraUser]: QueueName.Trackers,
  [JobName.PurgeWebhookEvents]: QueueName.Maintenance,
};

export interface JobOptions {
  /** Deterministic id: a second enqueue with the same id while the first is known is dropped. */
  jobId?: string;
  attempts?: number;
  delayMs?: number;
  /** First retry delay; doubles on each further attempt. */
  backoffMs?: number;
}

export const DEFAULT_JOB_OPTIONS: Required<Omit<JobOptions, 'jobId' | 'delayMs'>> = {
  attempts: 5,
  backoffMs: 1000,
};

export type JobHandlerFn = (data: unknown, attempt: number) => Promise<void>;
