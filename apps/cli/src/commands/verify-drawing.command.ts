import { Command, CommandRunner } from 'nest-commander';
import { DrawingExecutionService } from '@fittrack/sweepstakes';

/** `npm run cli -- verify-drawing <id>`: recomputes a completed drawing and compares; exit code 1 on any mismatch. */
@Command({
  name: 'verify-drawing',
  arguments: '<id>',
  description: 'Recompute a completed drawing (fair-draw.md) and compare it with what it published',
})
export class VerifyDrawingCommand extends CommandRunner {
  constructor(private readonly execution: DrawingExecutionService) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    const checks = await this.execution.recheck(id);
    for (const { check, ok, detail } of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${check}: ${detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    console.log(failed ? `Drawing ${id} does NOT verify (${failed} failed)` : `Drawing ${id} verifies`);
    if (failed) process.exitCode = 1;
  }
}
