import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { currentDbType, dialectSql } from './dialect';

/** Database-level operations that are not about one aggregate: readiness, pool state and migrations. */
@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pings the database and returns its server version; throws when it cannot be reached. */
  async serverVersion(timeoutMs = 3000): Promise<string> {
    const query = this.dataSource.query(dialectSql[currentDbType()].serverVersion) as Promise<
      Array<Record<string, string>>
    >;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const rows = await Promise.race([query, timeout]);
      return String(Object.values(rows[0])[0]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Queries waiting for a pool connection now (node-postgres's pool); 0 where the driver does not say. */
  poolWaiting(): number {
    const pool = (this.dataSource.driver as { master?: { waitingCount?: unknown } }).master;
    return typeof pool?.waitingCount === 'number' ? pool.waitingCount : 0;
  }

  async runMigrations(): Promise<string[]> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  }

  async revertLastMigration(): Promise<void> {
    await this.dataSource.undoLastMigration({ transaction: 'each' });
  }

  /** Drops every table (development reset); migrations then rebuild the schema. */
  async dropSchema(): Promise<void> {
    await this.dataSource.dropDatabase();
  }
}
