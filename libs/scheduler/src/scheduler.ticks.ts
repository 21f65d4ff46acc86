import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import {
  type AppConfig,
  calendarDateIn,
  Clock,
  InjectConfig,
  JobName,
  QUEUE_PROCESSING,
  QueuePort,
} from '@fittrack/core';
import { SyncService, WebhooksService } from '@fittrack/trackers';

/** One cron tick: it only enqueues jobs, with deterministic ids, so running it twice changes nothing. */
export interface Tick {
  name: string;
  /** Cron expression, in the competition time zone. */
  cronTime: string;
  run: () => Promise<void>;
}

/**
 * The cron ticks (architecture: scheduler → queue → handler). Registered only in a process that runs
 * jobs (the worker, or the API in embedded mode), so one deployment ticks once per worker, and each
 * tick's job ids collapse duplicates. Add a tick to `ticks()`.
 */
@Injectable()
export class SchedulerTicks implements OnApplicationBootstrap {
  private readonly logger = new Logger('Scheduler');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly queue: QueuePort,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(QUEUE_PROCESSING) private readonly processing: boolean,
    private readonly sync: SyncService,
    private readonly webhooks: WebhooksService,
  ) {}

  ticks(): Tick[] {
    return [
      {
        name: 'birthday-tiers',
        cronTime: '5 0 * * *', // 00:05, after midnight in the competition zone
        run: () => this.birthdayTiers(),
      },
      { name: 'due-drawings', cronTime: '* * * * *', run: () => this.dueDrawings() },
      { name: 'fulfillment-deadlines', cronTime: '7 * * * *', run: () => this.fulfillmentDeadlines() },
      { name: 'webhook-retention', cronTime: '35 3 * * *', run: () => this.webhookRetention() },
      // Webhook events whose processing job was lost, queued again under their own job ids.
      {
        name: 'webhook-recovery',
        cronTime: '*/10 * * * *',
        run: () => this.webhooks.requeueStranded().then(() => undefined),
      },
      // Due tracker connections, one sync job each (job id: connection and 15-minute slot).
      {
        name: 'terra-sync',
        cronTime: '*/15 * * * *',
        run: () => this.sync.enqueueDue().then(() => undefined),
      },
    ];
  }

  /** Enqueues the day's birthday tier recalculation (job id: the competition day). */
  async birthdayTiers(): Promise<void> {
    const date = calendarDateIn(this.clock.now(), this.config.competitionTimeZone);
    await this.queue.enqueue(JobName.RecalculateBirthdayTiers, { date }, { jobId: `birthday-tiers:${date}` });
  }

  /** Enqueues the day's purge of old webhook events (job id: the competition day), at a quiet hour. */
  async webhookRetention(): Promise<void> {
    const date = calendarDateIn(this.clock.now(), this.config.competitionTimeZone);
    await this.queue.enqueue(JobName.PurgeWebhookEvents, { date }, { jobId: `webhook-retention:${date}` });
  }

  /** Enqueues the minute's drawings step (job id: the minute, so two workers ticking enqueue it once). */
  async dueDrawings(): Promise<void> {
    const minute = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000).toISOString();
    await this.queue.enqueue(JobName.RunDueDrawings, { minute }, { jobId: `due-drawings:${minute}` });
  }

  /** Enqueues the hour's prize reminders and forfeits (job id: the hour). */
  async fulfillmentDeadlines(): Promise<void> {
    const hour = new Date(Math.floor(this.clock.now().getTime() / 3_600_000) * 3_600_000).toISOString();
    await this.queue.enqueue(
      JobName.RunFulfillmentDeadlines,
      { hour },
      { jobId: `fulfillment-deadlines:${hour}` },
    );
  }

  onApplicationBootstrap(): void {
    if (!this.processing || !this.config.features.schedulerTicks) return;
    for (const tick of this.ticks()) {
      const job = CronJob.from({
        cronTime: tick.cronTime,
        timeZone: this.config.competitionTimeZone,
        waitForCompletion: true,
        onTick: () =>
          tick
            .run()
            .catch((error: unknown) => this.logger.error(`Tick ${tick.name} failed: ${String(error)}`)),
      });
      this.registry.addCronJob(tick.name, job);
      job.start();
    }
  }
}
