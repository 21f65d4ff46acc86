/**
 * The points rules, all of them, as pure functions (no I/O, no clock, no framework). The numbers are in
 * docs/point-calculation.md and shared/design/domain-rules.md (Points).
 *
 * How ingestion uses them, for one user's day:
 *   1. `recordDay` says which day a record counts for; `implausibleReasons` whether to hold it for review;
 *      `multiplierFor` the multiplier it keeps from when it was first stored.
 *   2. `dayIsOpen` says whether that day may still change at all (the revision window).
 *   3. `noPayReason` marks each record of the day that may not earn (manual, held, duplicate, …).
 *   4. `payDay` recomputes the whole day from all its records; `paymentsFor` turns the result into the
 *      ledger entries that move each record from what it was paid to what it should be paid.
 * Because the day is recomputed from its records, revisions, replays, late primaries and out-of-order
 * delivery all reduce to the same two calls.
 */
import { addDays, calendarDateIn } from '@fittrack/core';

export type Intensity = 'light' | 'moderate' | 'vigorous';
export type IntensityMinutes = Record<Intensity, number>;
/** `steps` and `active_minutes` are a day's running totals (a Terra daily); `workout` is one session. */
export type RecordType = 'steps' | 'active_minutes' | 'workout';

/** Every number the engine pays by, in one place. */
export const RULES = Object.freeze({
  /** Points per 1,000 steps (paid pro rata: 10,550 steps are 105.5 points before the multiplier). */
  STEP_POINTS_PER_1000: 10,
  /** Points per active minute, by intensity; a workout pays its minutes at its own intensity's rate. */
  MINUTE_RATES: Object.freeze<IntensityMinutes>({ light: 1, moderate: 2, vigorous: 3 }),
  /** Added to a workout of WORKOUT_BONUS_MIN_MINUTES or more, after the multiplier (never multiplied). */
  WORKOUT_BONUS: 50,
  WORKOUT_BONUS_MIN_MINUTES: 20,
  /** Only the first three qualifying workouts of a day (by start time) get the bonus. */
  MAX_BONUSES_PER_DAY: 3,
  /** Points a user can earn on one day, after multipliers and bonuses. */
  DAILY_CAP: 1000,
  /** By fitness code of the tier; OPEN and "no tier yet" pay 1.0. */
  MULTIPLIERS: Object.freeze({ BEG: 1.2, INT: 1.0, ADV: 0.9, OPEN: 1.0, NONE: 1.0 }),
  /** Days after a day's date during which its data may still change what it pays (POINTS_REVISION_DAYS). */
  REVISION_DAYS: 7,
});

/** The ledger note for an award the daily cap truncated. */
export const DAILY_CAP_NOTE = 'Daily cap reached';

const INTENSITIES: readonly Intensity[] = ['light', 'moderate', 'vigorous'];

/** Non-finite or negative figures from a tracker count as 0: bad data never pays. */
const amount = (value: number | null | undefined): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

// ---------------------------------------------------------------------------------------------------
// Multiplier

/**
 * The multiplier for a tier code (`M-18-29-BEG`, `OPEN`, or null while the profile is incomplete). Taking
 * the tier rather than the fitness level makes "no tier yet pays 1.0" hold even when only sex is missing.
 * Ingestion stores it on the record when first stored; a revision of the record keeps it.
 */
export function multiplierFor(tierCode: string | null): number {
  if (!tierCode || tierCode === 'OPEN') return tierCode ? RULES.MULTIPLIERS.OPEN : RULES.MULTIPLIERS.NONE;
  const fitness = tierCode.slice(tierCode.lastIndexOf('-') + 1);
  if (fitness === 'BEG' || fitness === 'INT' || fitness === 'ADV') return RULES.MULTIPLIERS[fitness];
  throw new Error(`Unknown tier code: ${tierCode}`);
}

// ---------------------------------------------------------------------------------------------------
// Which day a record counts for

export interface DayZones {
  /** The profile's IANA zone, if the user set one. */
  profileTimeZone: string | null;
  /** COMPETITION_TZ. */
  competitionTimeZone: string;
}

export interface DatedRecord {
  type: RecordType;
  startTime: Date;
  /** A daily payload's own date (it runs local midnight to midnight). */
  localDate?: string | null;
  /** The record's own UTC offset (from its ISO start time), when the tracker gave one. */
  utcOffsetMinutes?: number | null;
}

/**
 * The calendar date a record counts for, where the user was: a daily's own date; otherwise the start's
 * date at the record's own UTC offset, else in the profile zone, else in the competition zone. The cap,
 * the bonus count and every board group records by this date.
 */
export function recordDay(record: DatedRecord, zones: DayZones): string {
  if (record.type !== 'workout' && record.localDate) return record.localDate;
  if (record.utcOffsetMinutes !== null && record.utcOffsetMinutes !== undefined) {
    return new Date(record.startTime.getTime() + record.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
  }
  return calendarDateIn(record.startTime, zones.profileTimeZone || zones.competitionTimeZone);
}

/** The date an instant falls on for this user (profile zone, else competition zone): e.g. the tracker's connection day. */
export function userDay(at: Date, zones: DayZones): string {
  return calendarDateIn(at, zones.profileTimeZone || zones.competitionTimeZone);
}

// ---------------------------------------------------------------------------------------------------
// What earns at all

/**
 * Whether a day may still change what it pays: open until `revisionDays` days after its date (today in
 * the competition zone). Data for a closed day is stored and pays nothing; ingestion does not recompute it.
 */
export function dayIsOpen(day: string, today: string, revisionDays: number = RULES.REVISION_DAYS): boolean {
  return today <= addDays(day, revisionDays);
}

/** Why a record pays 0, or null when it may earn. */
export type NoPayReason =
  /** The tracker withdrew it (Terra upload_type 4): as if it never happened. */
  | 'withdrawn'
  /** A non-primary tracker's record overlapping a primary one. */
  | 'duplicate'
  /** Implausible, and an admin rejected it (final). */
  | 'rejected'
  /** Implausible, waiting for an admin. */
  | 'held'
  /** Entered by hand (Terra upload_type 2). */
  | 'manual'
  /** Backfilled history from before the tracker was connected. */
  | 'before_connection';

export interface EligibilityFacts {
  /** The record's day (`recordDay`). */
  day: string;
  /** The day its tracker was connected (`userDay(connectedAt)`); null when unknown, which pays nothing. */
  connectedOn: string | null;
  manual: boolean;
  review: 'none' | 'pending' | 'approved' | 'rejected';
  duplicate: boolean;
  withdrawn: boolean;
}

/** The first reason a record may not earn (in the order of the type above), or null when it may. */
export function noPayReason(facts: EligibilityFacts): NoPayReason | null {
  if (facts.withdrawn) return 'withdrawn';
  if (facts.duplicate) return 'duplicate';
  if (facts.review === 'rejected') return 'rejected';
  if (facts.review === 'pending') return 'held';
  if (facts.manual) return 'manual';
  if (!facts.connectedOn || facts.day < facts.connectedOn) return 'before_connection';
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Plausibility

/** When a record is held for review; each is configurable, these are the defaults. */
export interface PlausibilityThresholds {
  maxStepsPerDay: number;
  /** Average steps a minute over a workout of at least `cadenceMinWorkoutMinutes`. */
  maxStepsPerMinute: number;
  cadenceMinWorkoutMinutes: number;
  maxWorkoutMinutes: number;
  maxActiveMinutesPerDay: number;
}

export const PLAUSIBILITY_DEFAULTS: Readonly<PlausibilityThresholds> = Object.freeze({
  maxStepsPerDay: 60_000,
  maxStepsPerMinute: 220,
  cadenceMinWorkoutMinutes: 10,
  maxWorkoutMinutes: 12 * 60,
  maxActiveMinutesPerDay: 16 * 60,
});

export interface PlausibilityFacts {
  type: RecordType;
  steps?: number | null;
  durationMinutes?: number | null;
  minutes?: Partial<IntensityMinutes> | null;
  /** Terra's own anti-cheat signal; anything but 0 or absent is suspect. */
  cheatDetection?: number | null;
}

export type ImplausibleCode =
  'steps_per_day' | 'steps_per_minute' | 'workout_length' | 'active_minutes' | 'cheat_detection';

/** Why a record looks implausible (empty: plausible), each with a sentence for the admin's flag queue. */
export function implausibleReasons(
  record: PlausibilityFacts,
  limits: PlausibilityThresholds = PLAUSIBILITY_DEFAULTS,
): { code: ImplausibleCode; detail: string }[] {
  const reasons: { code: ImplausibleCode; detail: string }[] = [];
  const steps = amount(record.steps);
  const duration = amount(record.durationMinutes);
  if (record.type === 'workout') {
    if (duration > limits.maxWorkoutMinutes) {
      reasons.push({
        code: 'workout_length',
        detail: `A workout of ${duration} minutes (limit ${limits.maxWorkoutMinutes})`,
      });
    }
    if (duration >= limits.cadenceMinWorkoutMinutes && steps / duration > limits.maxStepsPerMinute) {
      reasons.push({
        code: 'steps_per_minute',
        detail: `${Math.round(steps / duration)} steps a minute over ${duration} minutes (limit ${limits.maxStepsPerMinute})`,
      });
    }
  } else {
    if (steps > limits.maxStepsPerDay) {
      reasons.push({
        code: 'steps_per_day',
        detail: `${steps} steps in a day (limit ${limits.maxStepsPerDay})`,
      });
    }
    const active = INTENSITIES.reduce((sum, level) => sum + amount(record.minutes?.[level]), 0);
    if (active > limits.maxActiveMinutesPerDay) {
      reasons.push({
        code: 'active_minutes',
        detail: `${active} active minutes in a day (limit ${limits.maxActiveMinutesPerDay})`,
      });
    }
  }
  // NaN and other non-numbers are suspect too: fail closed.
  if (record.cheatDetection !== null && record.cheatDetection !== undefined && record.cheatDetection !== 0) {
    reasons.push({ code: 'cheat_detection', detail: `Tracker anti-cheat signal ${record.cheatDetection}` });
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------------
// Paying a day

/** One stored record of the user's day, as `payDay` needs it. */
export interface DayRecord {
  id: string;
  type: RecordType;
  startTime: Date;
  /** Workouts: their length, paid at `intensity`'s rate (light when the tracker gave none). */
  durationMinutes?: number;
  intensity?: Intensity | null;
  /** Day totals: the day's steps and active minutes so far. (A workout's steps are in the day's total.) */
  steps?: number;
  minutes?: Partial<IntensityMinutes>;
  /** Kept from when the record was first stored (`multiplierFor`). */
  multiplier: number;
  /** `noPayReason`; null when it may earn. */
  noPay: NoPayReason | null;
}

export interface RecordPay {
  id: string;
  /** The record's share of the day: `activity.points_earned`. */
  points: number;
  /** Before the multiplier (may be fractional: steps pay pro rata). */
  base: number;
  multiplier: number;
  /** floor(base × multiplier). */
  multiplied: number;
  /** 0 or WORKOUT_BONUS, unmultiplied. */
  bonus: number;
  /** The daily cap took some or all of `multiplied + bonus` away: its ledger entry says DAILY_CAP_NOTE. */
  capped: boolean;
  /** Day totals: the minutes paid, after taking out the workouts' minutes. */
  paidMinutes?: IntensityMinutes;
  noPay: NoPayReason | null;
}

export interface DayPay {
  /** What the day pays in all; never above DAILY_CAP. */
  total: number;
  /** Every record, in day order (start time, then id). */
  records: RecordPay[];
}

/** Day order: start time, then id; never arrival order, so the result depends only on the set. */
function byDayOrder(a: DayRecord, b: DayRecord): number {
  const time = a.startTime.getTime() - b.startTime.getTime();
  if (time !== 0) return time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Multiply then round down, in integers (hundredths of a point × percent) so 1.2 × 90 is exactly 108. */
function multiply(baseHundredths: number, multiplier: number): number {
  // The multiplier comes from our own records: anything odd is a bug, not data to pay on.
  if (!Number.isFinite(multiplier) || multiplier < 0) throw new Error(`Bad multiplier: ${multiplier}`);
  return Math.floor((baseHundredths * Math.round(multiplier * 100)) / 10_000);
}

/**
 * What each record of one user's day earns, given ALL the day's records (in any order): rates × the
 * record's multiplier, rounded down; the workout bonus for the first three workouts of 20+ minutes;
 * the day totals' active minutes less the minutes of the day's workouts (paid by the workouts
 * themselves); the daily cap, truncating the record that crosses it and paying 0 to the ones after.
 */
export function payDay(records: readonly DayRecord[]): DayPay {
  const ordered = [...records].sort(byDayOrder);
  if (new Set(ordered.map((r) => r.id)).size !== ordered.length)
    throw new Error('payDay: a record given twice');

  // Minutes inside workouts leave the day's totals. Every workout counts here except a withdrawn one
  // (it did not happen) and a duplicate (its primary's minutes leave instead); a held, rejected or manual
  // workout counts too, so its minutes cannot be paid through the day's totals instead (fail closed).
  const workoutMinutes: IntensityMinutes = { light: 0, moderate: 0, vigorous: 0 };
  for (const record of ordered) {
    if (record.type !== 'workout' || record.noPay === 'withdrawn' || record.noPay === 'duplicate') continue;
    workoutMinutes[record.intensity ?? 'light'] += amount(record.durationMinutes);
  }

  let total = 0;
  let bonuses = 0;
  const paid = ordered.map((record): RecordPay => {
    let baseHundredths: number;
    let paidMinutes: IntensityMinutes | undefined;
    if (record.type === 'workout') {
      const minutes = Math.floor(amount(record.durationMinutes));
      baseHundredths = minutes * RULES.MINUTE_RATES[record.intensity ?? 'light'] * 100;
    } else {
      paidMinutes = { light: 0, moderate: 0, vigorous: 0 };
      for (const level of INTENSITIES) {
        paidMinutes[level] = Math.floor(Math.max(0, amount(record.minutes?.[level]) - workoutMinutes[level]));
      }
      const stepHundredths = (Math.floor(amount(record.steps)) * RULES.STEP_POINTS_PER_1000) / 10;
      baseHundredths =
        stepHundredths +
        INTENSITIES.reduce((sum, l) => sum + paidMinutes![l] * RULES.MINUTE_RATES[l] * 100, 0);
    }
    const shown = { id: record.id, base: baseHundredths / 100, multiplier: record.multiplier, paidMinutes };
    if (record.noPay)
      return { ...shown, points: 0, multiplied: 0, bonus: 0, capped: false, noPay: record.noPay };

    const multiplied = multiply(baseHundredths, record.multiplier);
    const qualifies =
      record.type === 'workout' && amount(record.durationMinutes) >= RULES.WORKOUT_BONUS_MIN_MINUTES;
    const bonus = qualifies && bonuses < RULES.MAX_BONUSES_PER_DAY ? RULES.WORKOUT_BONUS : 0;
    if (bonus) bonuses++;
    const uncapped = multiplied + bonus;
    const points = Math.min(uncapped, RULES.DAILY_CAP - total);
    total += points;
    return { ...shown, points, multiplied, bonus, capped: points < uncapped, noPay: null };
  });
  return { total, records: paid };
}

// ---------------------------------------------------------------------------------------------------
// From what the day should pay to ledger entries

export interface Payment {
  recordId: string;
  /** Signed: what the record should be paid less what it has been paid. */
  amount: number;
  /** `earn` upward, `adjust` downward (a revision down, a withdrawal, a late primary). */
  type: 'earn' | 'adjust';
  /** DAILY_CAP_NOTE when the cap truncates this record's award (also when a change moves the cap onto it). */
  note: string | null;
}

/**
 * The ledger entries that bring each record from what it has been paid (`paidSoFar`, by record id: the
 * sum of its ledger entries) to what `day` says it should be paid; post them all in one transaction.
 * Re-delivering the same data yields none. A paid record missing from the day (should not happen: pass
 * withdrawn records too) is paid back. Earns come before adjusts (each in day order), so a change that
 * nets >= 0 never takes the balance below where it started on the way.
 */
export function paymentsFor(day: DayPay, paidSoFar: ReadonlyMap<string, number>): Payment[] {
  const payments: Payment[] = [];
  const seen = new Set<string>();
  for (const record of day.records) {
    seen.add(record.id);
    const delta = record.points - (paidSoFar.get(record.id) ?? 0);
    if (delta === 0) continue;
    payments.push({
      recordId: record.id,
      amount: delta,
      type: delta > 0 ? 'earn' : 'adjust',
      note: record.capped ? DAILY_CAP_NOTE : null,
    });
  }
  for (const [recordId, paid] of [...paidSoFar].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!seen.has(recordId) && paid !== 0)
      payments.push({ recordId, amount: -paid, type: 'adjust', note: null });
  }
  return [...payments.filter((p) => p.amount > 0), ...payments.filter((p) => p.amount < 0)];
}
