import { Logger } from '@nestjs/common';
import Bull, { Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, JobHandlerFn, JobName, JobOptions, QUEUE_OF_JOB, QueueName } from './jobs';
import { QueueDepth, QueuePort } from './queue.port';
import { withRequestId } from '../logging/request-context';

/** Services mode: Bull queues on Redis; `apps/worker` consumes them. */
export class BullQueue extends QueuePort {
  readonly kind = 'bull' as const;
  private readonly logger = new Logger('BullQueue');
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix = 'fittrack',
  ) {
    super();
  }

  async enqueue<T>(job: JobName, data: T, options: JobOptions = {}): Promise<void> {
    const { attempts, backoffMs } = { ...DEFAULT_JOB_OPTIONS, ...options };
    await this.queue(QUEUE_OF_JOB[job]).add(job, withRequestId(data), {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  async startProcessing(handlers: Map<JobName, JobHandlerFn>): Promise<void> {
    for (const [job, handler] of handlers) {
      void this.queue(QUEUE_OF_JOB[job]).process(job, 4, async (bullJob) => {
        try {
          await handler(bullJob.data, bullJob.attemptsMade + 1);
        } catch (error) {
          this.logger.warn(`Job ${job} attempt ${bullJob.attemptsMade + 1} failed: ${String(error)}`);
          throw error;
        }
      });
    }
  }

  async drain(): Promise<void> {
    for (;;) {
      const counts = await Promise.all([...this.queues.values()].map((queue) => queue.getJobCounts()));
      if (counts.every((c) => c.active + c.waiting + c.delayed === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** ioredis queues commands while reconnecting, so a down Redis would hang the ping: bound it. */
  async ping(timeoutMs = 3000): Promise<void> {
    await this.bounded(this.queue(QueueName.Email).client.ping(), timeoutMs);
  }

  async depth(timeoutMs = 1000): Promise<QueueDepth[]> {
    const names = Object.values(QueueName);
    const counts = await this.bounded(
      Promise.all(names.map((name) => this.queue(name).getJobCounts())),
      timeoutMs,
    );
    return names.flatMap((queue, i) =>
      (['waiting', 'active', 'delayed', 'failed'] as const).map((state) => ({
        queue,
        state,
        count: counts[i][state],
      })),
    );
  }

  private async bounded<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`redis did not answer within ${timeoutMs} ms (timeout)`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Bull(name, this.redisUrl, { prefix: this.prefix });
      queue.on('error', (error) => this.logger.error(`Queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }
}
