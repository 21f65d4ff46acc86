import { Injectable } from '@nestjs/common';
import {
  addDays,
  type AppConfig,
  assertCaller,
  type Caller,
  calendarDateIn,
  canAccessOwned,
  Clock,
  InjectConfig,
  NotFoundError,
  type Page,
  scopeToOwner,
  UnauthorizedError,
  userIdOf,
} from '@fittrack/core';
import { type RecordPay, RULES } from '@fittrack/points';
import { ActivitiesRepository } from './activities.repository';
import { IngestionService } from './ingestion.service';
import type { Activity } from './entities/activity.entity';
import type { ListActivitiesQueryDto } from './dto/activities.dto';
import type { ActivitySummaryDto, PeriodSummaryDto } from './dto/activity-summary.dto';

/** A streak longer than this many days is reported as this many. */
const MAX_STREAK_DAYS = 1000;

/** Reads of synced activities: users see their own, admins anyone's. */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly ingestion: IngestionService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListActivitiesQueryDto, caller: Caller): Promise<Page<Activity>> {
    const userId = scopeToOwner(caller, query.filter?.user_id);
    return this.activities.list({ ...query, filter: { ...query.filter, user_id: userId } });
  }

  /** Someone else's activity is a 404, like a missing one. */
  async get(id: string, caller: Caller): Promise<Activity> {
    const activity = await this.activities.get(id);
    if (!activity || !canAccessOwned(caller, activity.userId)) throw new NotFoundError('Activity');
    return activity;
  }

  /** The activity with how the rules price it within its day. */
  async detail(id: string, caller: Caller): Promise<{ activity: Activity; pay: RecordPay | null }> {
    const activity = await this.get(id, caller);
    return { activity, pay: await this.ingestion.breakdown(activity) };
  }

  /**
   * The caller's today, this week (from Monday) and this month, grouped by each record's day; "today" is
   * the date in the profile's zone, else the competition zone.
   */
  async summary(caller: Caller): Promise<ActivitySummaryDto> {
    assertCaller(caller);
    const userId = userIdOf(caller);
    if (!userId) throw new UnauthorizedError('Authentication required');
    const owner = await this.activities.ownerFacts(userId);
    const today = calendarDateIn(this.clock.now(), owner.timeZone || this.config.competitionTimeZone);
    const [year, month, date] = today.split('-').map(Number);
    const weekStart = addDays(today, -((new Date(Date.UTC(year, month - 1, date)).getUTCDay() + 6) % 7));
    const monthStart = `${today.slice(0, 8)}01`;
    const monthEnd = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const weekEnd = addDays(weekStart, 6);
    const rows = await this.activities.findBetweenDays(
      userId,
      weekStart < monthStart ? weekStart : monthStart,
      weekEnd > monthEnd ? weekEnd : monthEnd,
    );
    const period = (from: string, to: string) => summarise(rows, from, to, today);
    return {
      today: period(today, today),
      this_week: { ...period(weekStart, weekEnd), streak_days: await this.streak(userId, today) },
      this_month: period(monthStart, monthEnd),
    };
  }

  /** Consecutive days ending today or yesterday on each of which the user earned points. */
  private async streak(userId: string, today: string): Promise<number> {
    const days = await this.activities.earningDays(userId, today, MAX_STREAK_DAYS);
    let expected = days[0] === today ? today : addDays(today, -1);
    let streak = 0;
    for (const day of days) {
      if (day !== expected) break;
      streak++;
      expected = addDays(day, -1);
    }
    return streak;
  }
}

function summarise(rows: Activity[], from: string, to: string, today: string): PeriodSummaryDto {
  const summary: PeriodSummaryDto = {
    steps: 0,
    active_minutes: 0,
    workouts: 0,
    points_earned: 0,
    points_remaining: 0,
  };
  const earnedByDay = new Map<string, number>();
  for (const row of rows) {
    if (row.day < from || row.day > to) continue;
    summary.points_earned += row.pointsEarned;
    earnedByDay.set(row.day, (earnedByDay.get(row.day) ?? 0) + row.pointsEarned);
    // Withdrawn records did not happen; a duplicate's activity is counted through its primary.
    if (row.isWithdrawn || row.isDuplicate) continue;
    const metrics = row.metrics ?? {};
    if (row.activityType === 'workout') summary.workouts++;
    else if (row.activityType === 'steps') summary.steps += Number(metrics.steps ?? 0);
    else summary.active_minutes += Number(metrics.active_minutes ?? 0);
  }
  // What the cap still allows on each day from today to the period's end.
  for (let day = from > today ? from : today; day <= to; day = addDays(day, 1)) {
    summary.points_remaining += Math.max(0, RULES.DAILY_CAP - (earnedByDay.get(day) ?? 0));
  }
  return summary;
}
