import { Injectable, Logger } from '@nestjs/common';
import { addDays, JobHandler, JobName } from '@fittrack/core';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { bracketBirthdaysOn } from './tiers';

export interface BirthdayTiersJob {
  /** The competition day the tick ran for (YYYY-MM-DD); also the job id's date. */
  date: string;
}

/** Days looked back, so a day the scheduler missed (an outage) is caught up by the next run. */
const CATCH_UP_DAYS = 6;

/**
 * The daily tier recalculation for birthdays (domain-rules, Tiers): a user who turns 30 moves from
 * `*-18-29-*` to `*-30-39-*`, with their period points. Idempotent: a user already in the right tier is
 * left alone, so a retried or repeated job changes nothing.
 */
@Injectable()
export class BirthdayTiersHandler {
  private readonly logger = new Logger(BirthdayTiersHandler.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly service: UsersService,
  ) {}

  @JobHandler(JobName.RecalculateBirthdayTiers)
  async handle(data: unknown): Promise<void> {
    const { date } = data as BirthdayTiersJob;
    const days = Array.from({ length: CATCH_UP_DAYS + 1 }, (_, i) => addDays(date, -i));
    const ids = await this.users.idsBornOn(days.flatMap(bracketBirthdaysOn));
    let moved = 0;
    for (const id of ids) if (await this.service.recalculateTier(id, date)) moved++;
    this.logger.log(`Birthday tiers for ${date}: ${moved} of ${ids.length} candidates moved`);
  }
}
