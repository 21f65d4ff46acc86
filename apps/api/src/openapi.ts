/**
 * `npm run openapi`: writes docs/api/openapi.json from the app, built as `npm start` builds it (the
 * Swagger CLI plugin runs at compile time), on an empty in-memory SQLite database, nothing served.
 * `--check` compares instead and exits 1 when the committed document is stale (.ci/run does this).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { buildOpenApiDocument, initApp, ROOT } from './init-app';

const TARGET = join(ROOT, 'docs/api/openapi.json');

async function generate(): Promise<string> {
  // The document depends on the code only: boot on an empty in-memory database (no migrations), without
  // the developer's Redis or keys.
  const keys = mkdtempSync(join(tmpdir(), 'fittrack-openapi-'));
  Object.assign(process.env, {
    NODE_ENV: 'development',
    DB_TYPE: 'sqlite',
    SQLITE_PATH: ':memory:',
    DB_MIGRATE_ON_BOOT: 'false',
    SEED_ON_EMPTY: 'false',
    REDIS_URL: '',
    JWT_KEY_DIR: keys,
    LOG_LEVEL: 'error',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'] });
  try {
    await initApp(app);
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
    rmSync(keys, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const document = await generate();
  if (!process.argv.includes('--check')) {
    writeFileSync(TARGET, document);
    console.error(`wrote ${TARGET}`);
    return;
  }
  if (readFileSync(TARGET, 'utf8') !== document) {
    console.error('docs/api/openapi.json is stale: regenerate it with `npm run openapi` and commit it');
    process.exit(1);
  }
  console.error('docs/api/openapi.json matches the app');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
