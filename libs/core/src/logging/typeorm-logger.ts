import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';
import { logLevelEnabled } from './request-context';

/**
 * TypeORM's log through the application logger: SQL only at debug level and never its parameters (they
 * carry emails, hashes and tokens); migrations at log level. Failed queries surface as errors where the
 * code handles them, so their SQL is debug detail too.
 */
export class TypeOrmLogger implements TypeOrmLoggerInterface {
  private readonly logger = new Logger('SQL');

  logQuery(query: string): void {
    // Every statement passes here: below debug, skip Nest's and nestjs-pino's forwarding (~1 % of an
    // authenticated read's CPU) for a line pino would drop anyway.
    if (logLevelEnabled('debug')) this.logger.debug(query);
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug(`Query failed (${typeof error === 'string' ? error : error.message}): ${query}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms)`);
    this.logger.debug(`Slow query (${time} ms): ${query}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
