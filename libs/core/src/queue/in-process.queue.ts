import { Logger } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { DEFAULT_JOB_OPTIONS, JobHandlerFn, JobName, JobOptions } from './jobs';
import { QueueDepth, QueuePort } from './queue.port';
import { withRequestId } from '../logging/request-context';

/** Embedded mode: jobs run in this process through the same handlers, with the same retry policy. */
export class InProcessQueue extends QueuePort {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('InProcessQueue');
  private handlers = new Map<JobName, JobHandlerFn>();
  private readonly knownJobIds = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  async enqueue<T>(job: JobName, data: T, options: JobOptions = {}): Promise<void> {
    if (options.jobId) {
      if (this.knownJobIds.has(options.jobId)) return;
      this.knownJobIds.add(options.jobId);
    }
    this.schedule(job, withRequestId(data), 1, { ...DEFAULT_JOB_OPTIONS, ...options }, options.delayMs ?? 0);
  }

  async startProcessing(handlers: Map<JobName, JobHandlerFn>): Promise<void> {
    this.handlers = handlers;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.all([...this.running]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async ping(): Promise<void> {}

  async consumers(): Promise<null> {
    return null;
  }

  /** One in-process queue: timers not yet fired wait, handlers running are active. */
  async depth(): Promise<QueueDepth[]> {
    return [
      { queue: 'in-process', state: 'waiting', count: this.timers.size },
      { queue: 'in-process', state: 'active', count: this.running.size },
    ];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  private schedule(
    job: JobName,
    data: unknown,
    attempt: number,
    options: typeof DEFAULT_JOB_OPTIONS,
    delayMs: number,
  ) {
    // Outside the enqueuer's async context, as a Bull worker would run it: a job enqueued inside a unit of
    // work must not run in (or wait for) that transaction.
    const timer = ClsServiceManager.getClsService().exit(() =>
      setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) return;
        const run = this.run(job, data, attempt, options).finally(() => this.running.delete(run));
        this.running.add(run);
      }, delayMs),
    );
    this.timers.add(timer);
  }

  private async run(job: JobName, data: unknown, attempt: number, options: typeof DEFAULT_JOB_OPTIONS) {
    const handler = this.handlers.get(job);
    if (!handler) {
      this.logger.error(`No handler for job ${job} in this process`);
      return;
    }
    try {
      await handler(data, attempt);
    } catch (error) {
      const willRetry = attempt < options.attempts;
      this.logger.warn(
        `Job ${job} attempt ${attempt} failed${willRetry ? ', retrying' : ''}: ${String(error)}`,
      );
      if (willRetry) this.schedule(job, data, attempt + 1, options, options.backoffMs * 2 ** (attempt - 1));
    }
  }
}
