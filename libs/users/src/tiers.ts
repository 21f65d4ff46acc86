import { ageOn, calendarDateIn } from '@fittrack/core';
import type { BiologicalSex, FitnessLevel } from './entities/profile.entity';

export const OPEN_TIER = 'OPEN';
const SEX_CODES: Record<BiologicalSex, string> = { male: 'M', female: 'F' };
const FITNESS_CODES: Record<FitnessLevel, string> = { beginner: 'BEG', intermediate: 'INT', advanced: 'ADV' };
export const AGE_BRACKETS = ['18-29', '30-39', '40-49', '50-59', '60+'] as const;

/** The 30 demographic tiers, `{M|F}-{bracket}-{BEG|INT|ADV}`. */
export const TIER_CODES: readonly string[] = Object.values(SEX_CODES).flatMap((sex) =>
  AGE_BRACKETS.flatMap((bracket) => Object.values(FITNESS_CODES).map((fit) => `${sex}-${bracket}-${fit}`)),
);
/** Every board a user can be ranked on. */
export const ALL_TIER_CODES: readonly string[] = [...TIER_CODES, OPEN_TIER];

export interface TierInputs {
  dateOfBirth: string;
  biologicalSex: BiologicalSex | null;
  fitnessLevel: FitnessLevel | null;
  openTierOptIn: boolean;
}

function ageBracket(age: number): (typeof AGE_BRACKETS)[number] | null {
  if (age < 18) return null;
  if (age >= 60) return '60+';
  if (age < 30) return '18-29';
  return AGE_BRACKETS[Math.floor(age / 10) - 2];
}

/**
 * The tier on `today` (a calendar date in the competition zone): `OPEN` when opted in; null while sex or
 * fitness level is missing (or under 18, who cannot compete).
 */
export function tierCodeOn(profile: TierInputs, today: string): string | null {
  if (profile.openTierOptIn) return OPEN_TIER;
  if (!profile.biologicalSex || !profile.fitnessLevel) return null;
  const bracket = ageBracket(ageOn(profile.dateOfBirth, today));
  if (!bracket) return null;
  return `${SEX_CODES[profile.biologicalSex]}-${bracket}-${FITNESS_CODES[profile.fitnessLevel]}`;
}

/** The tier at an instant, with the birthday counted in the competition time zone. */
export function tierCodeAt(profile: TierInputs, now: Date, competitionTimeZone: string): string | null {
  return tierCodeOn(profile, calendarDateIn(now, competitionTimeZone));
}

/** Ages at which a user moves to the next age bracket. */
const BRACKET_AGES = [30, 40, 50, 60];

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The dates of birth whose owners enter a new age bracket on `date` (they turn 30, 40, 50 or 60 that day).
 * Someone born on 29 February has their birthday on 1 March in other years (ageOn counts it so).
 */
export function bracketBirthdaysOn(date: string): string[] {
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(5);
  return BRACKET_AGES.flatMap((age) => {
    const born = year - age;
    if (monthDay === '02-29') return isLeapYear(born) ? [`${born}-02-29`] : [];
    const leapling = monthDay === '03-01' && !isLeapYear(year) && isLeapYear(born);
    return leapling ? [`${born}-03-01`, `${born}-02-29`] : [`${born}-${monthDay}`];
  });
}
