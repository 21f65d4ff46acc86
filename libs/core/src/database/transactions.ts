import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { currentDbType, isTransientConflict } from './dialect';

/** The CLS transaction host over our one DataSource: `tx` is the current transaction's EntityManager. */
export type TypeOrmTransactionHost = TransactionHost<TransactionalAdapterTypeOrm>;

/** Attempts of a whole unit of work that a deadlock or serialisation failure aborted. */
export const TRANSACTION_ATTEMPTS = 3;

/**
 * The one way to run several writes atomically. Every repository reads its EntityManager from the
 * async-local transaction (see BaseRepository), so whatever `work` calls, however deep, joins it; a
 * nested `run` joins the outer transaction instead of opening a second one. Only the outermost unit is
 * retried, on deadlock or serialisation failure, so `work` must be safe to run again from the start.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  /** SQLite shares one connection: transactions on it would nest as savepoints, so they take turns. */
  private sqliteTurn: Promise<unknown> = Promise.resolve();
  /** What the outermost unit runs once it has committed (see afterCommit). */
  private readonly committed = new AsyncLocalStorage<Array<() => Promise<void>>>();

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  get active(): boolean {
    return this.txHost.isTransactionActive();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active) return work();
    const callbacks: Array<() => Promise<void>> = [];
    const result = await this.committed.run(callbacks, () => {
      if (currentDbType() !== 'sqlite') return this.withRetry(work, callbacks);
      const turn = this.sqliteTurn.then(() => this.withRetry(work, callbacks));
      this.sqliteTurn = turn.catch(() => undefined);
      return turn;
    });
    for (const callback of callbacks) {
      // Committed already: a failing callback (a cache that is down) must not turn the unit into an error.
      await callback().catch((error: unknown) =>
        this.logger.error(`After-commit callback failed: ${String(error)}`),
      );
    }
    return result;
  }

  /**
   * Runs `callback` once the current unit of work has committed (at once outside one); never when it
   * rolls back. For effects others must not see before the data: invalidating a cache.
   */
  async afterCommit(callback: () => Promise<void>): Promise<void> {
    const callbacks = this.active ? this.committed.getStore() : undefined;
    if (callbacks) callbacks.push(callback);
    else await callback();
  }

  private async withRetry<T>(work: () => Promise<T>, callbacks: Array<() => Promise<void>>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      callbacks.length = 0; // an aborted attempt's callbacks go with it
      try {
        return await this.txHost.withTransaction(work);
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isTransientConflict(error)) throw error;
        this.logger.warn(`Transaction conflict (attempt ${attempt} of ${TRANSACTION_ATTEMPTS}), retrying`);
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }
}
