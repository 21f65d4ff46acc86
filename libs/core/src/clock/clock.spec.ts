import { ManualClock, SystemClock } from './clock';

describe('ManualClock', () => {
  it('stands still until set or advanced', () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2026-03-01T12:00:00.000Z');
    clock.advance(90 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2026-03-01T13:30:00.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('a running clock moves on in real time from where it was set, until frozen', async () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00.000Z'), true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moved = clock.now().getTime() - Date.parse('2026-03-01T12:00:00.000Z');
    expect(moved).toBeGreaterThanOrEqual(15);
    clock.freeze('2026-11-01T05:59:59.999Z');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now().toISOString()).toBe('2026-11-01T05:59:59.999Z');
  });

  it('hands out copies, so callers cannot move time by mutating a date', () => {
    const clock = new ManualClock(new Date('2026-03-01T00:00:00.000Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2026);
  });
});

describe('SystemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
