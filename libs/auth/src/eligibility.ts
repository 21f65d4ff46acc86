import { ageOn, BadRequestError, calendarDateIn } from '@fittrack/core';

export const MINIMUM_AGE = 18;

/** Registration eligibility: 18+ by calendar birthday in the competition zone, and a non-excluded state. */
export function assertEligible(
  input: { dateOfBirth: string; state: string },
  now: Date,
  rules: { competitionTimeZone: string; excludedStates: readonly string[] },
): void {
  if (ageOn(input.dateOfBirth, calendarDateIn(now, rules.competitionTimeZone)) < MINIMUM_AGE) {
    throw new BadRequestError('Must be 18 or older');
  }
  if (rules.excludedStates.includes(input.state.toUpperCase())) {
    throw new BadRequestError('State not eligible for sweepstakes');
  }
}
