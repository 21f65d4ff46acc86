import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

async function bootstrap(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    cliName: 'fittrack',
    serviceErrorHandler: (error: Error) => {
      // Config errors list every bad variable; print messages without stacks.
      console.error(error.message);
      process.exitCode = 1;
    },
  });
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
