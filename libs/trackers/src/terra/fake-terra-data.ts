import { createHash } from 'node:crypto';
import type { Terra } from 'terra-api';

/**
 * The fake Terra's synthetic data: a deterministic function of the Terra user id and the date (UTC days,
 * offset +00:00), so tests can predict it. A day's totals grow through the day up to `now`; workouts
 * appear once they have ended.
 */

/** A number in [min, max] drawn from the user, the date and a label. */
function draw(userId: string, date: string, label: string, min: number, max: number): number {
  const digest = createHash('sha256').update(`${userId}|${date}|${label}`).digest();
  return min + (digest.readUInt32BE(0) % (max - min + 1));
}

const DAY_MS = 86_400_000;

/** The full-day totals of a date (what the day reaches at midnight). */
export function fullDayTotals(userId: string, date: string) {
  return {
    steps: draw(userId, date, 'steps', 4_000, 12_000),
    lightMinutes: draw(userId, date, 'light', 20, 60),
    moderateMinutes: draw(userId, date, 'moderate', 10, 40),
    vigorousMinutes: draw(userId, date, 'vigorous', 0, 25),
  };
}

/** The running total of `date` as Terra would report it at `now` (null before the day starts). */
export function syntheticDaily(userId: string, date: string, now: Date): Terra.Daily | null {
  const start = Date.parse(`${date}T00:00:00Z`);
  const elapsed = Math.min(1, (now.getTime() - start) / DAY_MS);
  if (elapsed <= 0) return null;
  const full = fullDayTotals(userId, date);
  const part = (value: number) => Math.floor(value * elapsed);
  const steps = part(full.steps);
  return {
    metadata: {
      start_time: `${date}T00:00:00.000000+00:00`,
      end_time: `${addDays(date, 1)}T00:00:00.000000+00:00`,
      upload_type: 1,
    },
    distance_data: { steps, distance_meters: Math.round(steps * 0.78) },
    active_durations_data: {
      activity_seconds:
        (part(full.lightMinutes) + part(full.moderateMinutes) + part(full.vigorousMinutes)) * 60,
      low_intensity_seconds: part(full.lightMinutes) * 60,
      moderate_intensity_seconds: part(full.moderateMinutes) * 60,
      vigorous_intensity_seconds: part(full.vigorousMinutes) * 60,
    },
    calories_data: { total_burned_calories: 1_600 + part(steps / 20) },
    MET_data: {
      num_low_intensity_minutes: part(full.lightMinutes),
      num_moderate_intensity_minutes: part(full.moderateMinutes),
      num_high_intensity_minutes: part(full.vigorousMinutes),
    },
  } as Terra.Daily;
}

const WORKOUT_KINDS = [
  { type: 8, name: 'Running', intensity: 'vigorous' },
  { type: 1, name: 'Biking', intensity: 'moderate' },
  { type: 7, name: 'Walking', intensity: 'low' },
  { type: 114, name: 'HIIT', intensity: 'vigorous' },
] as const;

/** The workouts of `date` that have ended by `now`: 1 or 2 a day, at 07:00 and 18:00 UTC. */
export function syntheticWorkouts(userId: string, date: string, now: Date): Terra.Activity[] {
  const count = draw(userId, date, 'workouts', 1, 2);
  const workouts: Terra.Activity[] = [];
  for (let k = 0; k < count; k++) {
    const kind = WORKOUT_KINDS[draw(userId, date, `kind${k}`, 0, WORKOUT_KINDS.length - 1)];
    const minutes = draw(userId, date, `minutes${k}`, 15, 60);
    const start = new Date(Date.parse(`${date}T${k === 0 ? '07' : '18'}:00:00Z`));
    const end = new Date(start.getTime() + minutes * 60_000);
    if (end > now) continue;
    const seconds = minutes * 60;
    const steps =
      kind.type === 8 || kind.type === 7 ? minutes * draw(userId, date, `cadence${k}`, 90, 160) : 0;
    workouts.push({
      metadata: {
        summary_id: `fake-${userId.slice(0, 8)}-${date}-${k}`,
        start_time: start.toISOString().replace('Z', '+00:00'),
        end_time: end.toISOString().replace('Z', '+00:00'),
        type: kind.type,
        name: kind.name,
        upload_type: 1,
      },
      active_durations_data: {
        activity_seconds: seconds,
        low_intensity_seconds: kind.intensity === 'low' ? seconds : 0,
        moderate_intensity_seconds: kind.intensity === 'moderate' ? seconds : 0,
        vigorous_intensity_seconds: kind.intensity === 'vigorous' ? seconds : 0,
      },
      distance_data: { summary: { steps, distance_meters: Math.round(steps * 0.9) } },
      calories_data: { total_burned_calories: minutes * 9 },
      heart_rate_data: { summary: { avg_hr_bpm: 120 + k * 10, max_hr_bpm: 165 } },
      cheat_detection: 0,
    } as Terra.Activity);
  }
  return workouts;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `start` to `end` inclusive (YYYY-MM-DD), at most 400. */
export function datesBetween(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let date = start; date <= end && dates.length < 400; date = addDays(date, 1)) dates.push(date);
  return dates;
}
