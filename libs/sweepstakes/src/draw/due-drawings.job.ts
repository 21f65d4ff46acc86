import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '@fittrack/core';
import { DrawingExecutionService } from './drawing-execution.service';

export interface DueDrawingsJob {
  /** The minute the tick ran for (ISO, seconds zeroed); also the job id. */
  minute: string;
}

/**
 * The minute tick's job: opens, closes and executes the drawings that are due. Every step is a
 * conditional update on the expected status, so a repeated or concurrent job changes nothing twice; a
 * drawing whose beacon round is not out yet stays closed and is tried again on the next tick.
 */
@Injectable()
export class DueDrawingsHandler {
  constructor(private readonly execution: DrawingExecutionService) {}

  @JobHandler(JobName.RunDueDrawings)
  handle(): Promise<void> {
    return this.execution.tick();
  }
}
