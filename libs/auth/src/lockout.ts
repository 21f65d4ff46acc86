/** Account lockout: 5 failed logins within 15 minutes lock the account for 15 minutes. */
export const LOCKOUT_MAX_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;

export interface LockoutState {
  failedLoginCount: number;
  failedLoginWindowStart: Date | null;
  lockedUntil: Date | null;
}

/** Seconds until the lock ends (rounded up), or 0 when the account is not locked at `now`. */
export function lockedForSeconds(state: LockoutState, now: Date): number {
  if (!state.lockedUntil || state.lockedUntil.getTime() <= now.getTime()) return 0;
  return Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000);
}

/** The state after one more failed login; the window starts at the first failure and lasts 15 minutes. */
export function afterFailure(state: LockoutState, now: Date): LockoutState {
  const windowOpen =
    state.failedLoginWindowStart !== null &&
    now.getTime() - state.failedLoginWindowStart.getTime() < LOCKOUT_WINDOW_MS &&
    // A lock that has run out starts a fresh window.
    state.lockedUntil === null;
  const failedLoginCount = windowOpen ? state.failedLoginCount + 1 : 1;
  const failedLoginWindowStart = windowOpen ? state.failedLoginWindowStart : now;
  return {
    failedLoginCount,
    failedLoginWindowStart,
    lockedUntil:
      failedLoginCount >= LOCKOUT_MAX_FAILURES ? new Date(now.getTime() + LOCKOUT_DURATION_MS) : null,
  };
}

export const CLEARED_LOCKOUT: LockoutState = {
  failedLoginCount: 0,
  failedLoginWindowStart: null,
  lockedUntil: null,
};
