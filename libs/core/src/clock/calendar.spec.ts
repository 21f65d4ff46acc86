import { addDays, ageOn, calendarDateIn, startOfDayIn } from './calendar';

const NY = 'America/New_York';

describe('calendar', () => {
  it('gives the calendar date in the zone, not in UTC', () => {
    expect(calendarDateIn(new Date('2026-01-17T03:00:00Z'), NY)).toBe('2026-01-16');
    expect(calendarDateIn(new Date('2026-01-17T05:00:00Z'), NY)).toBe('2026-01-17');
  });

  it('finds local midnight in winter, summer and on both DST transition days', () => {
    expect(startOfDayIn('2026-01-16', NY).toISOString()).toBe('2026-01-16T05:00:00.000Z');
    expect(startOfDayIn('2026-07-01', NY).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    // 2026-03-08: clocks jump 02:00 → 03:00; midnight is still EST.
    expect(startOfDayIn('2026-03-08', NY).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayIn('2026-03-09', NY).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    // 2026-11-01: clocks fall back 02:00 → 01:00; that day lasts 25 hours.
    expect(startOfDayIn('2026-11-01', NY).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDayIn('2026-11-02', NY).toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts age by calendar birthday', () => {
    expect(ageOn('2008-11-23', '2026-11-22')).toBe(17);
    expect(ageOn('2008-11-23', '2026-11-23')).toBe(18);
    expect(ageOn('1996-02-29', '2026-02-28')).toBe(29);
    expect(ageOn('1996-02-29', '2026-03-01')).toBe(30);
  });
});
