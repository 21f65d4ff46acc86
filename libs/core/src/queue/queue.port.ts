import { JobHandlerFn, JobName, JobOptions } from './jobs';

/** Where domain code sends background work: Bull on Redis, or in-process in embedded mode. */
export abstract class QueuePort {
  abstract readonly kind: 'bull' | 'in-process';
  abstract enqueue<T>(job: JobName, data: T, options?: JobOptions): Promise<void>;
  /** Starts consuming jobs with the given handlers (worker, or the API in embedded mode). */
  abstract startProcessing(handlers: Map<JobName, JobHandlerFn>): Promise<void>;
  /** Resolves when nothing is queued or running (tests and graceful shutdown). */
  abstract drain(): Promise<void>;
  /** Throws when the backing store is unreachable. */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
