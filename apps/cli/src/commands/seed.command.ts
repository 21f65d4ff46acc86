import { Command, CommandRunner, Option } from 'nest-commander';
import { type AppConfig, DatabaseService, InjectConfig } from '@fittrack/core';
import { SeedService, type SeedOptions, type SeedProgress, type SeedResult } from '@fittrack/seeding';

interface SeedFlags extends SeedOptions {
  json?: boolean;
}

const positiveInt = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
};

/** Flags shared by `seed` and `reset`. */
abstract class SeedFlagsCommand extends CommandRunner {
  @Option({ flags: '--users <n>', description: 'Users to create (default 72)' })
  parseUsers(value: string): number {
    return positiveInt('users')(value);
  }

  @Option({ flags: '--activities <n>', description: 'Activities (default 300)' })
  parseActivities(value: string): number {
    return positiveInt('activities')(value);
  }

  @Option({ flags: '--drawings <n>', description: 'Drawings (default 10: every type and status)' })
  parseDrawings(value: string): number {
    return positiveInt('drawings')(value);
  }

  @Option({ flags: '--random-seed <s>', description: 'Same seed, same day: same data (default 2026)' })
  parseRandomSeed(value: string): number {
    return positiveInt('random-seed')(value);
  }

  @Option({ flags: '--json', description: 'Print the result as one JSON line' })
  parseJson(): boolean {
    return true;
  }

  protected report(result: SeedResult, json: boolean | undefined): void {
    const summary = {
      counts: result.counts,
      random_seed: result.randomSeed,
      reference_time: result.referenceTime.toISOString(),
      duration_ms: result.durationMs,
    };
    if (json) console.log(JSON.stringify(summary));
    else {
      console.log(`Seeded in ${result.durationMs} ms (random seed ${result.randomSeed}):`);
      for (const [entity, count] of Object.entries(result.counts))
        console.log(`  ${entity.padEnd(20)} ${count}`);
    }
  }
}

/** A one-line progress bar on stderr, only when it is a terminal. */
function progressBar(): SeedProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (phase, done, total) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} users`);
    if (phase === 'done') process.stderr.write('\n');
  };
}

function refuseInProduction(config: AppConfig, command: string): void {
  if (config.production) throw new Error(`${command} is a development tool and refuses to run in production`);
}

@Command({ name: 'seed', description: 'Add the deterministic demo dataset (runs pending migrations first)' })
export class SeedCommand extends SeedFlagsCommand {
  constructor(
    private readonly seeding: SeedService,
    private readonly database: DatabaseService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_params: string[], flags: SeedFlags): Promise<void> {
    refuseInProduction(this.config, 'seed');
    await this.database.runMigrations();
    this.report(await this.seeding.seed(flags, progressBar()), flags.json);
  }
}

@Command({ name: 'reset', description: 'Drop every table, re-run the migrations and seed' })
export class ResetCommand extends SeedFlagsCommand {
  constructor(
    private readonly seeding: SeedService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_params: string[], flags: SeedFlags): Promise<void> {
    refuseInProduction(this.config, 'reset');
    this.report(await this.seeding.reset(flags, progressBar()), flags.json);
  }
}
