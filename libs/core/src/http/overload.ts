import {
  Injectable,
  Logger,
  NestMiddleware,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { type AppConfig, InjectConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { Metrics } from '../metrics/metrics';
import { answerBusy, SHED_METRICS } from './problem-details.filter';

/** The event loop's delay is sampled every RESOLUTION_MS and judged over each WINDOW_MS. */
const RESOLUTION_MS = 10;
const WINDOW_MS = 500;

/**
 * Load shedding (ADR 0032). Past saturation an API that accepts everything serves nobody: requests queue
 * for the CPU and the pool until clients give up, and the process keeps working on abandoned ones. So
 * while the event loop's mean delay over the last half second is above OVERLOAD_EVENT_LOOP_DELAY_MS, new
 * /api/v1 requests are answered 503 + Retry-After at once, before authentication or any query (a
 * fraction of a served request's CPU); those already accepted finish. Probes and scrapes (/health,
 * /metrics) are outside /api/v1 and never shed. Measured with Node's own monitorEventLoopDelay, as
 * @fastify/under-pressure does (that plugin is Fastify-only).
 */
@Injectable()
export class LoadShedder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LoadShedder');
  private readonly limitMs: number;
  private histogram: IntervalHistogram | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The last window's verdict; read by every /api/v1 request, so a field, not a computation. */
  overloaded = false;
  /** The last window's mean event-loop delay, for the log line when shedding starts or stops. */
  private delayMs = 0;

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly metrics: Metrics,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.limitMs = config.overload.eventLoopDelayMs;
  }

  onApplicationBootstrap(): void {
    // Only an HTTP application has anything to shed (the worker and the CLI are application contexts).
    const app = this.adapterHost.httpAdapter?.getInstance<{ locals: Record<string, unknown> }>();
    if (!app) return;
    // The problem filter counts busy answers (no pool connection in time) through the app it answers for.
    app.locals[SHED_METRICS] = this.metrics;
    if (this.limitMs === 0) return;
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.judge(), WINDOW_MS).unref();
  }

  private judge(): void {
    const histogram = this.histogram!;
    // The histogram records whole timer periods in nanoseconds: the delay is what exceeds the period.
    this.delayMs = histogram.count ? Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS) : 0;
    histogram.reset();
    const overloaded = this.delayMs > this.limitMs;
    if (overloaded !== this.overloaded) {
      this.logger.warn(
        overloaded
          ? `Shedding /api/v1 requests: event-loop delay ${this.delayMs.toFixed(0)} ms > ${this.limitMs} ms`
          : `No longer shedding: event-loop delay ${this.delayMs.toFixed(0)} ms`,
      );
    }
    this.overloaded = overloaded;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.histogram?.disable();
  }
}

/** The API's routes; probes, scrapes, the docs and the test page are never shed. */
const SHED = /^\/api\//;

/**
 * Mounted on every route by CoreModule: refuses /api/v1 requests at once while the process is overloaded,
 * or while DB_POOL_MAX_WAITING queries already wait for a pool connection (a new request would only queue
 * behind them, and each of them waits up to DB_POOL_WAIT_MS). Both checks read a number; the path is looked
 * at only when one of them says no.
 */
@Injectable()
export class OverloadMiddleware implements NestMiddleware {
  private readonly maxWaiting: number;

  constructor(
    private readonly shedder: LoadShedder,
    private readonly database: DatabaseService,
    private readonly metrics: Metrics,
    @InjectConfig() config: AppConfig,
  ) {
    this.maxWaiting = config.database.poolMaxWaiting;
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const reason = this.shedder.overloaded
      ? 'event_loop'
      : this.maxWaiting > 0 && this.database.poolWaiting() >= this.maxWaiting
        ? 'db_pool_queue'
        : null;
    if (reason === null || !SHED.test(request.originalUrl)) return next();
    this.metrics.requestsShed.inc({ reason });
    answerBusy(request, response);
  }
}
