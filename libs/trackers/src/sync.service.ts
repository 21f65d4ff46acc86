import { Injectable, Logger } from '@nestjs/common';
import { addDays, type AppConfig, Clock, InjectConfig, JobHandler, JobName, Metrics } from '@fittrack/core';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService, type DeauthJob, SYNC_ATTEMPTS, type SyncJob } from './connections.service';
import { IngestionService } from './ingestion.service';
import { normaliseActivity, normaliseDaily } from './terra/terra-normaliser';
import { TerraClient } from './terra/terra.client';
import { TerraCallError } from './terra/terra-errors';

/** The scheduler's interval: a connection not synced for this long is due. */
export const SYNC_INTERVAL_MS = 15 * 60_000;
/** A first sync reads this many days before the connection (stored, never paid: domain rules). */
const FIRST_SYNC_BACKFILL_DAYS = 7;
/** How many times a 429's Retry-After may push one sync back before it waits for the next tick. */
const MAX_DEFERRALS = 3;
const DUE_PAGE = 1000;

/** Where a sync's time went, summed over jobs (bench/sync reads it). */
export interface SyncTimings {
  jobs: number;
  records: number;
  httpMs: number;
  parseMs: number;
  dbMs: number;
}

const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The sync pipeline: the tick enqueues due connections with deterministic job ids; the job fetches Terra's
 * `daily` and `activity` for the window since the last successful sync, normalises and ingests them.
 * Retryable Terra failures are retried by the queue; a refused user stops syncing until reconnected.
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  readonly timings: SyncTimings = { jobs: 0, records: 0, httpMs: 0, parseMs: 0, dbMs: 0 };

  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectionsService: ConnectionsService,
    private readonly terra: TerraClient,
    private readonly ingestion: IngestionService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * The 15-minute tick: one job per due connection, id `sync:<connection>:<15-minute slot>`, so ticks of
   * several instances in the same slot enqueue each connection once. Returns how many it enqueued.
   */
  async enqueueDue(): Promise<number> {
    const now = this.clock.now();
    const slot = Math.floor(now.getTime() / SYNC_INTERVAL_MS);
    const syncedBefore = new Date(now.getTime() - SYNC_INTERVAL_MS);
    let count = 0;
    for (let after: string | null = null; ;) {
      const ids = await this.connections.due(syncedBefore, after, DUE_PAGE);
      for (const id of ids) await this.connectionsService.enqueueSync(id, `tick:${slot}`);
      count += ids.length;
      if (ids.length < DUE_PAGE) return count;
      after = ids[ids.length - 1];
    }
  }

  @JobHandler(JobName.SyncConnection)
  async handleSync(job: SyncJob, attempt: number): Promise<void> {
    const connection = await this.connections.get(job.connectionId);
    // Deleted, refused or not yet linked to a Terra user: nothing to fetch.
    if (!connection?.terraUserId || connection.reconnectRequired) return;
    const windowEnd = this.clock.now();
    const from = connection.lastSyncAt
      ? addDays(utcDate(new Date(connection.lastSyncAt)), -1)
      : addDays(utcDate(new Date(connection.createdAt)), -FIRST_SYNC_BACKFILL_DAYS);
    // A day ahead: users east of UTC are already in tomorrow.
    const window = { startDate: from, endDate: addDays(utcDate(windowEnd), 1) };
    await this.connections.setStatus(connection.id, { syncStatus: 'syncing' });
    try {
      let started = performance.now();
      const [daily, activity] = await Promise.all([
        this.terra.fetchDaily(connection.terraUserId, window),
        this.terra.fetchActivity(connection.terraUserId, window),
      ]);
      this.timings.httpMs += performance.now() - started;
      started = performance.now();
      const owner = { userId: connection.userId, provider: connection.provider };
      const records = [
        ...normaliseDaily(owner, daily).records,
        ...normaliseActivity(owner, activity).records,
      ];
      this.timings.parseMs += performance.now() - started;
      started = performance.now();
      await this.ingestion.ingest(records);
      await this.connections.setStatus(connection.id, {
        syncStatus: 'ok',
        lastSyncAt: windowEnd,
        lastError: null,
      });
      this.timings.dbMs += performance.now() - started;
      this.timings.jobs += 1;
      this.timings.records += records.length;
      this.metrics.syncs.inc({ provider: connection.provider, outcome: 'succeeded' });
    } catch (error) {
      await this.failed(connection.id, connection.provider, job, attempt, error);
    }
  }

  @JobHandler(JobName.DeauthenticateTerraUser)
  async handleDeauth(job: DeauthJob): Promise<void> {
    await this.connectionsService.deauthenticate(job);
  }

  /**
   * A failed attempt, counted once its state is stored: `failed` when it ends here (refused user,
   * permanent error, last attempt), `retried` when a deferred job or the queue's backoff tries again.
   */
  private async failed(
    connectionId: string,
    provider: string,
    job: SyncJob,
    attempt: number,
    error: unknown,
  ): Promise<void> {
    const count = (outcome: 'failed' | 'retried') => this.metrics.syncs.inc({ provider, outcome });
    const message = error instanceof Error ? error.message.slice(0, 500) : 'Sync failed';
    if (error instanceof TerraCallError && error.userRefused) {
      this.logger.warn(`Sync of connection ${connectionId}: Terra refused the user (${message})`);
      await this.connectionsService.markRefused(connectionId, 'Terra refused access: reconnect the tracker');
      count('failed');
      return;
    }
    await this.connections.setStatus(connectionId, { syncStatus: 'error', lastError: message });
    if (error instanceof TerraCallError && !error.retryable) {
      // 400 and other permanent answers: retrying the same request cannot help; the next tick tries again.
      this.logger.warn(`Sync of connection ${connectionId} failed permanently: ${message}`);
      count('failed');
      return;
    }
    if (
      error instanceof TerraCallError &&
      error.retryAfterSeconds !== null &&
      (job.deferrals ?? 0) < MAX_DEFERRALS
    ) {
      // Terra said when to come back: a delayed job, rather than the queue's shorter backoff.
      const deferrals = (job.deferrals ?? 0) + 1;
      await this.connectionsService.enqueueSync(
        connectionId,
        `deferred:${deferrals}:${this.clock.now().getTime()}`,
        {
          delayMs: error.retryAfterSeconds * 1000,
          deferrals,
        },
      );
      count('retried');
      return;
    }
    this.logger.warn(`Sync of connection ${connectionId} attempt ${attempt} failed: ${message}`);
    count(attempt < SYNC_ATTEMPTS ? 'retried' : 'failed');
    throw error;
  }
}
