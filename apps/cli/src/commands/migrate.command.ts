import { Command, CommandRunner, Option } from 'nest-commander';
import { DatabaseService } from '@fittrack/core';

@Command({ name: 'migrate', description: 'Apply pending migrations (--revert undoes the last one)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly database: DatabaseService) {
    super();
  }

  async run(_params: string[], options: { revert?: boolean }): Promise<void> {
    if (options.revert) {
      await this.database.revertLastMigration();
      console.log('Reverted the last migration.');
      return;
    }
    const applied = await this.database.runMigrations();
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  }

  @Option({ flags: '--revert', description: 'Undo the most recent migration' })
  parseRevert(): boolean {
    return true;
  }
}
