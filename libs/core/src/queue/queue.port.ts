import { JobHandlerFn, JobName, JobOptions } from './jobs';

/** Where domain code sends background work: Bull on Redis, or in-process in embedded mode. */
export abstract class QueuePort {
  abstract readonly kind: 'bull' | 'in-process';
  abstract enqueue<T>(job: JobName, data: T, options?: JobOptions): Promise<void>;
  /** Starts consuming jobs with the given handlers (worker, or the API in embedded mode). */
  abstract startProcessing(handlers: Map<JobName, JobHandlerFn>): Promise<void>;
  /** Resolves when nothing is queued or running (tests and graceful shutdown). */
  abstract drain(): Promise<void>;
  /** Jobs per queue and state (waiting, active, delayed, failed), for the queue-depth metric. */
  abstract depth(): Promise<QueueDepth[]>;
  /** Throws when the backing store is unreachable. */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}

export interface QueueDepth {
  queue: string;
  state: 'waiting' | 'active' | 'delayed' | 'failed';
  count: number;
}
