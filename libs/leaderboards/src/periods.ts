import { addDays, calendarDateIn, startOfDayIn } from '@fittrack/core';

export const PERIODS = ['daily', 'weekly', 'monthly', 'alltime'] as const;
export type Period = (typeof PERIODS)[number];

/** The all-time board's one period key. */
export const ALL_TIME_KEY = 'alltime';

/**
 * The key of the period of `period` that contains the calendar date `date` (YYYY-MM-DD): `daily:2026-03-08`,
 * `weekly:2026-03-02` (its Monday), `monthly:2026-03`, `alltime`. Boards are named by dates in the
 * competition zone and an earning entry's day is a calendar date, so a date maps to the period containing
 * that same calendar date. The key is part of the rollup's key: a new period starts empty, no batch job.
 */
export function periodKey(period: Period, date: string): string {
  switch (period) {
    case 'daily':
      return `daily:${date}`;
    case 'weekly':
      return `weekly:${mondayOf(date)}`;
    case 'monthly':
      return `monthly:${date.slice(0, 7)}`;
    case 'alltime':
      return ALL_TIME_KEY;
  }
}

/** Every period key a day's earning counts in. */
export const periodKeysOf = (date: string): string[] => PERIODS.map((period) => periodKey(period, date));

/** The Monday of the ISO week containing `date`. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** First calendar date of the period containing `date`, and the first date of the next one. */
function bounds(period: Exclude<Period, 'alltime'>, date: string): [start: string, next: string] {
  if (period === 'daily') return [date, addDays(date, 1)];
  if (period === 'weekly') {
    const monday = mondayOf(date);
    return [monday, addDays(monday, 7)];
  }
  const [year, month] = date.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return [`${date.slice(0, 7)}-01`, next];
}

export interface PeriodWindow {
  period: Period;
  key: string;
  /** UTC instants of the period's first and last moment's end in the competition zone; null for all-time. */
  start: Date | null;
  end: Date | null;
  /** When this board starts over (= end); null for all-time, which never resets. */
  nextResetAt: Date | null;
}

/** The current period of a board at `now`: periods start at 00:00 in the competition zone (DST-safe). */
export function currentWindow(period: Period, now: Date, timeZone: string): PeriodWindow {
  const today = calendarDateIn(now, timeZone);
  if (period === 'alltime') return { period, key: ALL_TIME_KEY, start: null, end: null, nextResetAt: null };
  const [start, next] = bounds(period, today);
  const end = startOfDayIn(next, timeZone);
  return {
    period,
    key: periodKey(period, today),
    start: startOfDayIn(start, timeZone),
    end,
    nextResetAt: end,
  };
}
