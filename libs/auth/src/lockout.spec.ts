import { afterFailure, CLEARED_LOCKOUT, type LockoutState, lockedForSeconds } from './lockout';

const MINUTE = 60_000;
const start = new Date('2026-01-01T12:00:00Z');
const plus = (ms: number) => new Date(start.getTime() + ms);

const fail = (times: number, gapMs: number, from: LockoutState = CLEARED_LOCKOUT) => {
  let state = from;
  for (let i = 0; i < times; i++) state = afterFailure(state, plus(i * gapMs));
  return state;
};

describe('lockout', () => {
  it('locks for 15 minutes on the 5th failure within 15 minutes', () => {
    const four = fail(4, MINUTE);
    expect(four).toMatchObject({ failedLoginCount: 4, lockedUntil: null });
    const fifth = afterFailure(four, plus(4 * MINUTE));
    expect(fifth.lockedUntil).toEqual(plus(19 * MINUTE));
    expect(lockedForSeconds(fifth, plus(4 * MINUTE))).toBe(900);
    expect(lockedForSeconds(fifth, plus(18 * MINUTE))).toBe(60);
    expect(lockedForSeconds(fifth, plus(19 * MINUTE))).toBe(0);
  });

  it('starts a new window when the first failure is 15 minutes old', () => {
    const state = fail(5, 3.75 * MINUTE);
    // Failures at 0, 3.75, 7.5, 11.25 and 15 minutes: the fifth opens a new window.
    expect(state).toMatchObject({ failedLoginCount: 1, lockedUntil: null });
    expect(state.failedLoginWindowStart).toEqual(plus(15 * MINUTE));
  });

  it('a failure after a lock ran out starts counting again from one', () => {
    const locked = fail(5, 0);
    expect(locked.lockedUntil).not.toBeNull();
    const after = afterFailure(locked, plus(16 * MINUTE));
    expect(after).toMatchObject({ failedLoginCount: 1, lockedUntil: null });
  });

  it('an unlocked state reports zero', () => {
    expect(lockedForSeconds(CLEARED_LOCKOUT, start)).toBe(0);
  });
});
