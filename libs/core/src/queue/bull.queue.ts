import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import Bull, { Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, JobHandlerFn, JobName, JobOptions, QUEUE_OF_JOB, QueueName } from './jobs';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TTL_MS, QueueDepth, QueuePort } from './queue.port';
import { withRequestId } from '../logging/request-context';
import { ServiceUnavailableError } from '../errors/domain-errors';

/** How long an enqueue may wait for Redis before the job is held in memory instead. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** Jobs held while Redis is unreachable, at most; past it, enqueueing answers 503. */
export const MAX_HELD_JOBS = 10_000;
/** ioredis states in which a command would only wait in its offline queue. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

interface HeldJob {
  job: JobName;
  data: unknown;
  options: JobOptions;
}

/**
 * Heartbeats in one sorted set: member = consumer id, score = when its beat expires, both on Redis's own
 * clock (TIME), so hosts' clocks never disagree. A beat also prunes expired members.
 */
const BEAT = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) end
return redis.call('ZCOUNT', KEYS[1], now, '+inf')`;

/** Services mode: Bull queues on Redis; `apps/worker` consumes them. */
export class BullQueue extends QueuePort {
  readonly kind = 'bull' as const;
  private readonly logger = new Logger('BullQueue');
  private readonly queues = new Map<QueueName, Queue>();
  /** Set while this process consumes: its heartbeat's id and timer. */
  private heartbeat: { id: string; timer: NodeJS.Timeout } | null = null;
  /** Jobs Redis could not take, in order; added once it is ready again (ADR 0019). */
  private readonly held: HeldJob[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix = 'fittrack',
  ) {
    super();
  }

  /**
   * Adds the job to Redis. While Redis is unreachable the job is held in this process and added, in order,
   * as soon as Redis is ready again, so the caller (whose change has committed) is not held up; past
   * MAX_HELD_JOBS it is refused with 503. A job whose add timed out may still land: every job carries a
   * deterministic id, so adding it again is a no-op.
   */
  async enqueue<T>(job: JobName, data: T, options: JobOptions = {}): Promise<void> {
    const held: HeldJob = { job, data: withRequestId(data), options };
    const queue = this.queue(QUEUE_OF_JOB[job]);
    if (this.held.length > 0 || DISCONNECTED.has(queue.client.status)) return this.hold(held);
    try {
      await this.bounded(this.add(held), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      if (!DISCONNECTED.has(queue.client.status) && !/timeout/.test(String(error))) throw error;
      this.hold(held);
    }
  }

  /** Jobs held in memory until Redis answers again (readiness and tests). */
  get heldJobs(): number {
    return this.held.length;
  }

  private add({ job, data, options }: HeldJob) {
    const { attempts, backoffMs } = { ...DEFAULT_JOB_OPTIONS, ...options };
    return this.queue(QUEUE_OF_JOB[job]).add(job, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  private hold(job: HeldJob): void {
    if (this.held.length >= MAX_HELD_JOBS) {
      throw new ServiceUnavailableError(
        'Background work cannot be queued right now (the job queue is unreachable); try again shortly',
      );
    }
    if (this.held.length === 0) {
      this.logger.warn('Redis is unreachable: jobs are held in this process until it answers again');
    }
    this.held.push(job);
  }

  /** Adds the held jobs in order once Redis is ready; one pass at a time. */
  private flush(): Promise<void> {
    this.flushing ??= this.addHeld().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Stops at the first failure; the next `ready` (or shutdown) tries again. */
  private async addHeld(): Promise<void> {
    let added = 0;
    try {
      while (this.held.length > 0) {
        await this.bounded(this.add(this.held[0]), ENQUEUE_TIMEOUT_MS);
        this.held.shift();
        added += 1;
      }
    } catch (error) {
      this.logger.warn(`Held jobs not added yet (${this.held.length} left): ${String(error)}`);
    }
    if (added > 0) this.logger.log(`Redis answers again: ${added} held jobs added`);
  }

  async startProcessing(handlers: Map<JobName, JobHandlerFn>): Promise<void> {
    const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const beat = () =>
      this.beat(id).catch((error: unknown) => this.logger.warn(`Heartbeat not written: ${String(error)}`));
    this.heartbeat = { id, timer: setInterval(beat, HEARTBEAT_INTERVAL_MS).unref() };
    await beat();
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

  async consumers(timeoutMs = 3000): Promise<number> {
    return this.bounded(this.beat(''), timeoutMs);
  }

  /** Writes this consumer's beat (an empty id only prunes); answers how many consumers are alive. */
  private async beat(id: string): Promise<number> {
    const client = this.queue(QueueName.Email).client;
    return Number(await client.eval(BEAT, 1, `${this.prefix}:consumers`, id, HEARTBEAT_TTL_MS));
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
    if (this.held.length > 0) await this.flush();
    if (this.held.length > 0) {
      // Records in the database (the email outbox, connections' sync times, webhook events, drawings)
      // let the ticks and the runbook recover these; say how many.
      this.logger.error(`${this.held.length} held jobs dropped at shutdown: Redis never answered again`);
    }
    if (this.heartbeat) {
      // Gone at once for readiness, rather than when the beat expires.
      clearInterval(this.heartbeat.timer);
      const { id } = this.heartbeat;
      this.heartbeat = null;
      await this.bounded(this.queue(QueueName.Email).client.zrem(`${this.prefix}:consumers`, id), 1000).catch(
        () => undefined,
      );
    }
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Bull(name, this.redisUrl, { prefix: this.prefix });
      queue.on('error', (error) => this.logger.error(`Queue ${name}: ${error.message}`));
      queue.client.on('ready', () => void this.flush());
      this.queues.set(name, queue);
    }
    return queue;
  }
}
