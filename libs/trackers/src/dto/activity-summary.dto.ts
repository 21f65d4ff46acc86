export class PeriodSummaryDto {
  /** Steps of the period's day totals */
  steps!: number;
  /** Active minutes of the period's day totals (all intensities) */
  active_minutes!: number;
  workouts!: number;
  points_earned!: number;
  /** What the daily cap still allows from today to the period's end */
  points_remaining!: number;
}

export class WeekSummaryDto extends PeriodSummaryDto {
  /** Consecutive days, ending today or yesterday, on each of which points were earned */
  streak_days!: number;
}

export class ActivitySummaryDto {
  today!: PeriodSummaryDto;
  this_week!: WeekSummaryDto;
  this_month!: PeriodSummaryDto;
}

export const ACTIVITY_SUMMARY_EXAMPLE: ActivitySummaryDto = {
  today: { steps: 8200, active_minutes: 45, workouts: 1, points_earned: 312, points_remaining: 688 },
  this_week: {
    steps: 41000,
    active_minutes: 210,
    workouts: 4,
    points_earned: 1710,
    points_remaining: 4688,
    streak_days: 5,
  },
  this_month: {
    steps: 152000,
    active_minutes: 800,
    workouts: 12,
    points_earned: 6400,
    points_remaining: 13688,
  },
};
