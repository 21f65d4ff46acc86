import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AfterQueryEvent, DataSource } from 'typeorm';
import { QueuePort } from '../queue/queue.port';
import { Metrics } from './metrics';

/** The pg Pool's and the oracledb Pool's counters (SQLite has no pool). */
interface PgPool {
  options?: { max?: number };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}
interface OraclePool {
  poolMax: number;
  connectionsOpen: number;
  connectionsInUse: number;
  stats?: () => { currentQueueLength?: number } | null;
}

/** Reads queue depth and database pool usage into their gauges right before each scrape; times queries. */
@Injectable()
export class MetricsCollectors implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly queue: QueuePort,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.onCollect(async () => {
      for (const { queue, state, count } of await this.queue.depth()) {
        this.metrics.queueDepth.set({ queue, state }, count);
      }
    });
    this.metrics.onCollect(() => this.collectPool());
    // TypeORM times each query itself and hands the figure to subscribers: no wrapper around the driver.
    this.dataSource.subscribers.push({
      afterQuery: ({ success, executionTime }: AfterQueryEvent) => {
        if (executionTime !== undefined) {
          this.metrics.dbQueryDuration.observe({ outcome: success ? 'ok' : 'error' }, executionTime / 1000);
        }
      },
    });
  }

  private collectPool(): void {
    const pool = (this.dataSource.driver as { master?: unknown }).master;
    const gauge = this.metrics.dbPool;
    if (isPgPool(pool)) {
      gauge.set({ state: 'max' }, pool.options?.max ?? 0);
      gauge.set({ state: 'open' }, pool.totalCount);
      gauge.set({ state: 'idle' }, pool.idleCount);
      gauge.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      gauge.set({ state: 'waiting' }, pool.waitingCount);
    } else if (isOraclePool(pool)) {
      gauge.set({ state: 'max' }, pool.poolMax);
      gauge.set({ state: 'open' }, pool.connectionsOpen);
      gauge.set({ state: 'in_use' }, pool.connectionsInUse);
      gauge.set({ state: 'idle' }, pool.connectionsOpen - pool.connectionsInUse);
    }
  }
}

function isPgPool(pool: unknown): pool is PgPool {
  return typeof pool === 'object' && pool !== null && 'idleCount' in pool && 'waitingCount' in pool;
}

function isOraclePool(pool: unknown): pool is OraclePool {
  return typeof pool === 'object' && pool !== null && 'connectionsInUse' in pool;
}
