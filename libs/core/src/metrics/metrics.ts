import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

type Collect = () => Promise<void> | void;

/**
 * The process's Prometheus metrics, on a registry of its own (several apps in one test process must not
 * share one): HTTP, jobs, queue depth, database pool and the business counters. Code that does the
 * counted thing increments the counter right after it happened (committed, sent, refused).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly collectors: Collect[] = [];

  // ---- HTTP (recorded by the httpMetrics middleware)
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpInFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served',
    registers: [this.registry],
  });

  /** Load shedding (ADR 0032): 503 + Retry-After before any work, or for want of a pool connection. */
  readonly requestsShed = new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests answered 503 busy, by reason (on arrival: event_loop, db_pool_queue; db_pool_wait: no connection in time)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  // ---- Jobs (recorded around every handler by the JobRegistry)
  readonly jobs = new Counter({
    name: 'jobs_total',
    help: 'Job attempts run in this process, by job and outcome (completed, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Job attempt duration in seconds, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  /** Set at scrape time from the queue (see QueueModule). */
  readonly queueDepth = new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  // ---- Database pool (set at scrape time where the driver exposes it)
  readonly dbPool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (max, open, in_use, idle, waiting)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  /** Every query TypeORM runs, as its driver timed it (an afterQuery subscriber, see MetricsCollectors). */
  readonly dbQueryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration in seconds, by outcome (ok, error)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  // ---- Caches
  readonly leaderboardCache = new Counter({
    name: 'leaderboard_cache_requests_total',
    help: 'Leaderboard board reads through the cache, by outcome (hit, miss)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  // ---- Business counters (names as the API contract's Health and ops section gives them)
  readonly registrations = new Counter({
    name: 'user_registrations_total',
    help: 'Accounts registered',
    registers: [this.registry],
  });
  readonly pointsEarned = new Counter({
    name: 'points_earned_total',
    help: 'Points earned (positive earning ledger entries; reversals are not subtracted)',
    registers: [this.registry],
  });
  readonly tickets = new Counter({
    name: 'tickets_purchased_total',
    help: 'Sweepstakes tickets bought with points, by drawing type (free entries are not counted)',
    labelNames: ['drawing_type'] as const,
    registers: [this.registry],
  });
  readonly drawingsExecuted = new Counter({
    name: 'drawings_executed_total',
    help: 'Drawing executions, by drawing type and outcome (completed, failed)',
    labelNames: ['drawing_type', 'outcome'] as const,
    registers: [this.registry],
  });
  /** Drawings past their drawing time and not executed; set by whoever owns the drawing tick. */
  readonly drawingsOverdue = new Gauge({
    name: 'drawings_overdue',
    help: 'Drawings past their drawing time that have not executed',
    registers: [this.registry],
  });
  readonly emails = new Counter({
    name: 'emails_total',
    help: 'Email delivery attempts, by outcome (sent, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: 'webhooks_total',
    help: 'Provider webhooks, by provider and outcome (received, refused)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly syncs = new Counter({
    name: 'syncs_total',
    help: 'Tracker syncs, by provider and outcome (succeeded, failed, retried)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds work to do right before each scrape (gauges read from the queue or the pool). */
  onCollect(collect: Collect): void {
    this.collectors.push(collect);
  }

  /** The exposition text; a collector that fails leaves its gauges as they were rather than fail the scrape. */
  async scrape(): Promise<string> {
    await Promise.all(
      this.collectors.map((collect) =>
        Promise.resolve()
          .then(collect)
          .catch(() => undefined),
      ),
    );
    return this.registry.metrics();
  }

  async timeJob<T>(job: string, run: () => Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer({ job });
    try {
      const result = await run();
      end({ outcome: 'completed' });
      this.jobs.inc({ job, outcome: 'completed' });
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      this.jobs.inc({ job, outcome: 'failed' });
      throw error;
    }
  }
}
