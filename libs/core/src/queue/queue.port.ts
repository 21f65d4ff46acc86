import { JobHandlerFn, JobName, JobOptions } from './jobs';

/** A consuming process beats this often; a beat counts for HEARTBEAT_TTL_MS (three missed beats: gone). */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TTL_MS = 15_000;

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
  /**
   * How many processes consume this queue right now (readiness): counted from their heartbeats in Redis;
   * null where the asking process runs the jobs itself (in-process).
   */
  abstract consumers(): Promise<number | null>;
  abstract close(): Promise<void>;
}

export interface QueueDepth {
  queue: string;
  state: 'waiting' | 'active' | 'delayed' | 'failed';
  count: number;
}
