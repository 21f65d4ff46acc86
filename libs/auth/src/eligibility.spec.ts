import { BadRequestError } from '@fittrack/core';
import { assertEligible } from './eligibility';

const rules = { competitionTimeZone: 'America/New_York', excludedStates: ['NY', 'FL', 'RI'] };
const at = (iso: string) => new Date(iso);
const check =
  (dateOfBirth: string, now: string, state = 'TX') =>
  () =>
    assertEligible({ dateOfBirth, state }, at(now), rules);

describe('assertEligible', () => {
  it('is 18 by calendar birthday: born 2008-11-23 is 17 on 2026-11-22 and 18 on 2026-11-23', () => {
    expect(check('2008-11-23', '2026-11-22T17:00:00Z')).toThrow('Must be 18 or older');
    expect(check('2008-11-23', '2026-11-23T17:00:00Z')).not.toThrow();
  });

  it('counts the birthday in the competition zone, not UTC', () => {
    // 03:00 UTC on the 23rd is 22:00 on the 22nd in New York.
    expect(check('2008-11-23', '2026-11-23T03:00:00Z')).toThrow(BadRequestError);
    expect(check('2008-11-23', '2026-11-23T05:00:00Z')).not.toThrow();
  });

  it('handles a 29 February birthday', () => {
    expect(check('2008-02-29', '2026-02-28T17:00:00Z')).toThrow('Must be 18 or older');
    expect(check('2008-02-29', '2026-03-01T17:00:00Z')).not.toThrow();
  });

  it('refuses excluded states in any case', () => {
    expect(check('1990-01-01', '2026-01-01T12:00:00Z', 'NY')).toThrow('State not eligible for sweepstakes');
    expect(check('1990-01-01', '2026-01-01T12:00:00Z', 'fl')).toThrow('State not eligible for sweepstakes');
    expect(check('1990-01-01', '2026-01-01T12:00:00Z', 'DC')).not.toThrow();
  });
});
