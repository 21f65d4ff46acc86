import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JobHandler } from './job-handler.decorator';
import { JobHandlerFn, JobName } from './jobs';
import { QueuePort } from './queue.port';
import { QUEUE_PROCESSING } from './queue.tokens';
import { Inject } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { runInLogContext, takeRequestId } from '../logging/request-context';
import { reportError } from '../sentry/sentry';

/**
 * Finds every @JobHandler at startup and fails if a job name has none or two. Starts consuming when this
 * process is a job processor (the worker, or the API in embedded mode).
 */
@Injectable()
export class JobRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobRegistry');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly queue: QueuePort,
    @Inject(QUEUE_PROCESSING) private readonly processing: boolean,
    private readonly metrics: Metrics,
  ) {}

  handlers(): Map<JobName, JobHandlerFn> {
    const found = new Map<JobName, JobHandlerFn[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const job = this.discovery.getMetadataByDecorator(JobHandler, wrapper, method);
        if (!job) continue;
        const fn = instance[method] as (data: unknown, attempt: number) => Promise<void>;
        found.set(job, [...(found.get(job) ?? []), fn.bind(instance)]);
      }
    }
    const problems = Object.values(JobName).flatMap((job) => {
      const count = found.get(job)?.length ?? 0;
      return count === 1 ? [] : [`job "${job}" has ${count} handlers (needs exactly 1)`];
    });
    if (problems.length) throw new Error(`Job handlers misconfigured: ${problems.join('; ')}`);
    return new Map([...found].map(([job, fns]) => [job, this.instrument(job, fns[0])]));
  }

  /**
   * Every attempt logs with the job's name and the id of the request that enqueued it, and is counted and
   * timed; a failed one goes to Sentry (when on). The handler sees its data without that id.
   */
  private instrument(job: JobName, handler: JobHandlerFn): JobHandlerFn {
    return (raw, attempt) => {
      const { requestId, data } = takeRequestId(raw);
      return runInLogContext({ request_id: requestId, job }, () =>
        this.metrics.timeJob(job, () =>
          handler(data, attempt).catch((error: unknown) => {
            reportError(error, {
              job,
              attempt: String(attempt),
              ...(requestId ? { request_id: requestId } : {}),
            });
            throw error;
          }),
        ),
      );
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.handlers();
    if (this.processing) {
      await this.queue.startProcessing(handlers);
      this.logger.log(`Processing ${handlers.size} job types on the ${this.queue.kind} queue`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
