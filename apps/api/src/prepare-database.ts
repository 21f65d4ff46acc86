import { INestApplicationContext, Logger } from '@nestjs/common';
import { AppConfig, appConfig, DatabaseService } from '@fittrack/core';

/** Embedded mode: bring the schema up to date at boot (elsewhere `npm run migration:run` does it). */
export async function prepareDatabase(app: INestApplicationContext): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  if (!config.database.migrateOnBoot) return;
  const applied = await app.get(DatabaseService).runMigrations();
  if (applied.length) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
}
