import { Injectable } from '@nestjs/common';
import { Clock } from '@fittrack/core';
import { DRAWING_STATUSES, Drawing } from '@fittrack/sweepstakes';
import { SYNC_STATUSES, TrackerConnection } from '@fittrack/trackers';
import { User, USER_STATUSES } from '@fittrack/users';
import { ReportsRepository } from './reports.repository';
import type { ReportSummaryDto } from './dto/report-summary.dto';

/** Every known value present, zero when absent, plus any unexpected value the data holds. */
const tally = <K extends string>(keys: readonly K[], counts: Record<string, number>) =>
  ({ ...Object.fromEntries(keys.map((key) => [key, 0])), ...counts }) as Record<K, number>;

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async summary(): Promise<ReportSummaryDto> {
    const [counts, checks, registrations, syncs, drawings, pointsSpent] = await Promise.all([
      this.reports.counts(),
      this.reports.integrity(),
      this.reports.countBy(User, 'status'),
      this.reports.countBy(TrackerConnection, 'syncStatus'),
      this.reports.countBy(Drawing, 'status'),
      this.reports.pointsSpent(),
    ]);
    const results = checks.map((check) => ({ ...check, passed: check.count === 0 }));
    return {
      counts,
      integrity: { ok: results.every((check) => check.passed), checks: results },
      workflow: {
        registrations: tally(USER_STATUSES, registrations),
        syncs: tally(SYNC_STATUSES, syncs),
        purchases: { tickets: counts.tickets, points_spent: pointsSpent },
        drawings: tally(DRAWING_STATUSES, drawings),
      },
      generated_at: this.clock.now().toISOString(),
    };
  }
}
