import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '@fittrack/core';
import { FulfillmentService } from './fulfillment.service';

export interface FulfillmentDeadlinesJob {
  /** The hour the tick ran for (ISO); also the job id. */
  hour: string;
}

/** The hourly tick's job: 7-day reminders and 14-day forfeits, each a conditional update (safe to repeat). */
@Injectable()
export class FulfillmentDeadlinesHandler {
  constructor(private readonly fulfillments: FulfillmentService) {}

  @JobHandler(JobName.RunFulfillmentDeadlines)
  async handle(): Promise<void> {
    await this.fulfillments.processDeadlines();
  }
}
