import { INestApplicationContext, Logger } from '@nestjs/common';
import { AppConfig, appConfig, DatabaseService } from '@fittrack/core';
import { SeedService } from '@fittrack/seeding';

/**
 * Embedded mode: bring the schema up to date at boot (elsewhere `npm run migration:run` does it), then
 * seed the demo dataset into an empty database outside production (SEED_ON_EMPTY).
 */
export async function prepareDatabase(app: INestApplicationContext): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  const logger = new Logger('Database');
  if (config.database.migrateOnBoot) {
    const applied = await app.get(DatabaseService).runMigrations();
    if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
  if (config.features.seedOnEmpty) {
    const seeded = await app.get(SeedService).seedIfEmpty();
    if (seeded) logger.log(`Empty database: seeded the demo dataset (see docs/seed-data.md)`);
  }
}
