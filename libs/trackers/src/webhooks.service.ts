import { Injectable, Logger } from '@nestjs/common';
import type { Terra } from 'terra-api';
import {
  type AppConfig,
  BadRequestError,
  Clock,
  InjectConfig,
  JobHandler,
  JobName,
  Metrics,
  QueuePort,
  sha256Hex,
  UnauthorizedError,
} from '@fittrack/core';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { IngestionService } from './ingestion.service';
import { WebhookEventsRepository } from './webhooks.repository';
import { normaliseActivity, normaliseDaily } from './terra/terra-normaliser';
import { TerraRuntime } from './terra/terra.providers';
import { verifyTerraSignature } from './terra/terra-signature';

export interface WebhookJob {
  eventId: string;
}

/** Terra's headers on a delivery (lower-cased by Node). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

const header = (headers: WebhookHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** What a webhook body must at least be: an object with a string `type`. */
interface TerraEvent {
  type: string;
  status?: string;
  reference_id?: string;
  user?: { user_id?: string; provider?: string; reference_id?: string };
  new_user?: { user_id?: string };
  old_user?: { user_id?: string };
  data?: unknown[];
}

/** A `received` event older than this has lost its job (see WebhooksService.requeueStranded). */
export const WEBHOOK_STRANDED_AFTER_MS = 10 * 60_000;
/** Events queued again per recovery run, at most; the next run takes the rest. */
const WEBHOOK_REQUEUE_BATCH = 1_000;

const REFUSALS: Record<string, string> = {
  deauth: 'The tracker was disconnected at Terra: reconnect it',
  access_revoked: 'Access to the tracker was revoked: reconnect it',
  connection_error: 'The tracker connection failed at the provider: reconnect it',
};

/**
 * `POST /webhooks/terra`: verify the signature over the raw body (401, nothing stored, otherwise), store
 * the delivery once by its body's hash and answer at once; a queued job does the work. Each chunk of a
 * chunked delivery is stored and processed on its own: ingestion is idempotent per record and recomputes
 * whole days, so the chunks add up to the delivery in any order.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly connections: ConnectionsRepository,
    private readonly connectionsService: ConnectionsService,
    private readonly ingestion: IngestionService,
    private readonly runtime: TerraRuntime,
    private readonly queue: QueuePort,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** One delivery, counted in `webhooks_total`: `refused` (401, 400) or `received` once stored and queued. */
  async receive(rawBody: unknown, headers: WebhookHeaders): Promise<void> {
    try {
      await this.accept(rawBody, headers);
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof BadRequestError) {
        this.metrics.webhooks.inc({ provider: 'terra', outcome: 'refused' });
      }
      throw error;
    }
    this.metrics.webhooks.inc({ provider: 'terra', outcome: 'received' });
  }

  private async accept(rawBody: unknown, headers: WebhookHeaders): Promise<void> {
    if (!Buffer.isBuffer(rawBody)) throw new UnauthorizedError('Invalid webhook signature');
    // Terra sends X-Terra-Signature and the older terra-signature; either will do.
    const signature = header(headers, 'terra-signature') ?? header(headers, 'x-terra-signature');
    const valid = verifyTerraSignature(
      rawBody,
      signature,
      this.runtime.webhookSecret,
      Math.floor(this.clock.now().getTime() / 1000),
      this.config.terra.webhookToleranceSeconds,
    );
    if (!valid) throw new UnauthorizedError('Invalid webhook signature');
    let event: TerraEvent;
    try {
      event = JSON.parse(rawBody.toString('utf8')) as TerraEvent;
    } catch {
      throw new BadRequestError('Webhook body is not JSON');
    }
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') {
      throw new BadRequestError('Webhook body has no event type');
    }
    const bodyHash = sha256Hex(rawBody);
    const stored = await this.events.insertOnce({
      bodyHash,
      eventType: event.type.slice(0, 32),
      terraUserId: typeof event.user?.user_id === 'string' ? event.user.user_id.slice(0, 64) : null,
      terraReference: header(headers, 'terra-reference')?.slice(0, 128) ?? null,
      traceId: header(headers, 'x-terra-trace-id')?.slice(0, 128) ?? null,
      payload: rawBody.toString('utf8'),
      status: 'received',
    });
    // A delivery already held: done, unless its job never got queued (the first try answered 503 and
    // this is Terra's retry), so queue it now; the event's job id keeps a queued one from running twice.
    const eventId = stored?.id ?? (await this.events.receivedWithHash(bodyHash));
    if (eventId) await this.enqueueProcessing(eventId);
  }

  /**
   * Queues again the events still `received` WEBHOOK_STRANDED_AFTER_MS after they arrived, at most
   * WEBHOOK_REQUEUE_BATCH a run: their job was lost (held in memory while Redis was down when the process
   * died, or the enqueue failed and Terra never retried). The job id is the event's, so an event
   * whose job is only waiting in a backlog is not queued twice. The scheduler's webhook-recovery tick.
   */
  async requeueStranded(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - WEBHOOK_STRANDED_AFTER_MS);
    const ids = await this.events.receivedBefore(before, WEBHOOK_REQUEUE_BATCH);
    for (const id of ids) await this.enqueueProcessing(id);
    if (ids.length) {
      const minutes = WEBHOOK_STRANDED_AFTER_MS / 60_000;
      this.logger.warn(
        `${ids.length} webhook events still unprocessed after ${minutes} minutes queued again`,
      );
    }
    return ids.length;
  }

  private enqueueProcessing(eventId: string): Promise<void> {
    return this.queue.enqueue<WebhookJob>(
      JobName.ProcessTerraWebhook,
      { eventId },
      { jobId: `terra-webhook:${eventId}`, attempts: 5 },
    );
  }

  @JobHandler(JobName.ProcessTerraWebhook)
  async process(job: WebhookJob): Promise<void> {
    const stored = await this.events.get(job.eventId);
    if (!stored || stored.status !== 'received' || !stored.payload) return;
    const event = JSON.parse(stored.payload) as TerraEvent;
    const handled = await this.dispatch(event);
    await this.events.finish(stored.id, handled ? 'processed' : 'ignored');
  }

  /** True when the event did something; other event types are acknowledged and ignored. */
  private async dispatch(event: TerraEvent): Promise<boolean> {
    const terraUserId = event.user?.user_id;
    switch (event.type) {
      case 'auth':
        await this.connectionsService.handleAuthEvent(event);
        return true;
      case 'user_reauth':
        if (!event.old_user?.user_id || !event.new_user?.user_id) return false;
        await this.connectionsService.moveTerraUser(event.old_user.user_id, event.new_user.user_id);
        return true;
      case 'deauth':
      case 'access_revoked':
      case 'connection_error':
        if (!terraUserId) return false;
        await this.connectionsService.markRefusedByTerraUser(terraUserId, REFUSALS[event.type]);
        return true;
      case 'daily':
      case 'activity': {
        const connection = terraUserId ? await this.connections.findByTerraUser(terraUserId) : null;
        if (!connection) {
          this.logger.log(`Terra ${event.type} data for a Terra user with no live connection ignored`);
          return false;
        }
        const owner = { userId: connection.userId, provider: connection.provider };
        const data = Array.isArray(event.data) ? event.data : [];
        const { records } =
          event.type === 'daily'
            ? normaliseDaily(owner, data as Terra.Daily[])
            : normaliseActivity(owner, data as Terra.Activity[]);
        await this.ingestion.ingest(records);
        return true;
      }
      default:
        return false;
    }
  }
}
