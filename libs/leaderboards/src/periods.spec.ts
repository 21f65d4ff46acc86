import { currentWindow, mondayOf, periodKey, periodKeysOf } from './periods';

const NY = 'America/New_York';
const windowAt = (period: Parameters<typeof currentWindow>[0], at: string) => {
  const w = currentWindow(period, new Date(at), NY);
  return { key: w.key, start: w.start?.toISOString() ?? null, end: w.end?.toISOString() ?? null };
};

describe('board periods in the competition time zone', () => {
  it('maps an earning day to the period containing that date', () => {
    expect(periodKeysOf('2026-01-18')).toEqual([
      'daily:2026-01-18',
      'weekly:2026-01-12',
      'monthly:2026-01',
      'alltime',
    ]);
    expect(periodKey('weekly', '2026-01-19')).toBe('weekly:2026-01-19');
    expect(mondayOf('2026-03-01')).toBe('2026-02-23'); // a Sunday: the week began in February
    expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // across a year end
  });

  it('Sunday 23:59:59 is still last week; Monday 00:00 starts the next', () => {
    expect(windowAt('weekly', '2026-01-19T04:59:59Z')).toEqual({
      key: 'weekly:2026-01-12',
      start: '2026-01-12T05:00:00.000Z',
      end: '2026-01-19T05:00:00.000Z',
    });
    expect(windowAt('weekly', '2026-01-19T05:00:00Z').key).toBe('weekly:2026-01-19');
    expect(windowAt('daily', '2026-01-19T04:59:59Z').key).toBe('daily:2026-01-18');
    expect(windowAt('daily', '2026-01-19T05:00:00Z').key).toBe('daily:2026-01-19');
  });

  it('month ends, including a leap day and the year end', () => {
    expect(windowAt('monthly', '2026-02-01T04:59:59Z')).toEqual({
      key: 'monthly:2026-01',
      start: '2026-01-01T05:00:00.000Z',
      end: '2026-02-01T05:00:00.000Z',
    });
    expect(windowAt('monthly', '2026-02-01T05:00:00Z').key).toBe('monthly:2026-02');
    expect(windowAt('monthly', '2028-02-29T12:00:00Z').end).toBe('2028-03-01T05:00:00.000Z');
    expect(windowAt('monthly', '2026-12-31T23:00:00Z')).toEqual({
      key: 'monthly:2026-12',
      start: '2026-12-01T05:00:00.000Z',
      end: '2027-01-01T05:00:00.000Z',
    });
  });

  it('DST: 8 March 2026 lasts 23 hours and 1 November 2026 lasts 25, with no hour lost or doubled', () => {
    const march = windowAt('daily', '2026-03-08T12:00:00Z');
    expect(march).toEqual({
      key: 'daily:2026-03-08',
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
    const november = windowAt('daily', '2026-11-01T12:00:00Z');
    expect(november).toEqual({
      key: 'daily:2026-11-01',
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
    });
    // The instants just before and at the ends belong to consecutive days.
    expect(windowAt('daily', '2026-03-09T03:59:59Z').key).toBe('daily:2026-03-08');
    expect(windowAt('daily', '2026-03-09T04:00:00Z').key).toBe('daily:2026-03-09');
    expect(windowAt('daily', '2026-11-02T04:59:59Z').key).toBe('daily:2026-11-01');
    expect(windowAt('daily', '2026-11-02T05:00:00Z').key).toBe('daily:2026-11-02');
    // The week of the spring change: Monday 2 March (EST) to Monday 9 March (EDT), 167 hours.
    expect(windowAt('weekly', '2026-03-08T12:00:00Z')).toEqual({
      key: 'weekly:2026-03-02',
      start: '2026-03-02T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
  });

  it('all-time has one period that never resets', () => {
    expect(currentWindow('alltime', new Date('2026-06-01T00:00:00Z'), NY)).toEqual({
      period: 'alltime',
      key: 'alltime',
      start: null,
      end: null,
      nextResetAt: null,
    });
  });
});
