import { Module } from '@nestjs/common';
import { CoreModule } from '@fittrack/core';
import { MIGRATIONS } from '../../../migrations';
import { DOMAIN_MODULES } from '../../api/src/domain-modules';
import { CreateAdminCommand } from './commands/create-admin.command';
import { MigrateCommand } from './commands/migrate.command';
import { ResetCommand, SeedCommand } from './commands/seed.command';
import { VerifyDrawingCommand } from './commands/verify-drawing.command';

/** The domain modules (SeedingModule among them) without HTTP: one-off operator commands. */
@Module({
  imports: [CoreModule.forRoot({ role: 'cli', migrations: MIGRATIONS }), ...DOMAIN_MODULES],
  providers: [MigrateCommand, SeedCommand, ResetCommand, CreateAdminCommand, VerifyDrawingCommand],
})
export class CliModule {}
