import { addDays, startOfDayIn } from '@fittrack/core';
import {
  DAILY_CAP_NOTE,
  type DayRecord,
  dayIsOpen,
  type EligibilityFacts,
  implausibleReasons,
  multiplierFor,
  noPayReason,
  payDay,
  paymentsFor,
  PLAUSIBILITY_DEFAULTS,
  recordDay,
  RULES,
  userDay,
} from './points-rules';

const NY = 'America/New_York';
const DAY = '2026-05-12';
const at = (time: string) => new Date(`${DAY}T${time}:00-04:00`);

/** A day-totals record (a Terra daily) starting at local midnight. */
function totals(id: string, fields: Partial<DayRecord> = {}): DayRecord {
  return { id, type: 'active_minutes', startTime: at('00:00'), multiplier: 1, noPay: null, ...fields };
}

function workout(id: string, time: string, fields: Partial<DayRecord> = {}): DayRecord {
  return {
    id,
    type: 'workout',
    startTime: at(time),
    durationMinutes: 30,
    intensity: 'moderate',
    multiplier: 1,
    noPay: null,
    ...fields,
  };
}

const pointsById = (records: DayRecord[]) =>
  Object.fromEntries(payDay(records).records.map((r) => [r.id, r.points]));

describe('points rules', () => {
  describe('multiplierFor', () => {
    it.each([
      ['M-18-29-BEG', 1.2],
      ['F-30-39-INT', 1.0],
      ['M-40-49-ADV', 0.9],
      ['F-60+-ADV', 0.9],
      ['OPEN', 1.0],
      [null, 1.0],
    ])('%s → %d', (tier, multiplier) => {
      expect(multiplierFor(tier)).toBe(multiplier);
    });

    it('refuses a tier code it does not know rather than paying 1.0 by accident', () => {
      expect(() => multiplierFor('M-18-29-PRO')).toThrow('Unknown tier code');
    });
  });

  describe('rates, multipliers and rounding (plan checkpoint 3)', () => {
    it.each([
      ['BEG', 1.2, 108],
      ['INT', 1.0, 90],
      ['ADV', 0.9, 81],
      ['OPEN', 1.0, 90],
    ])('30 vigorous minutes at %s (×%d) pay %d', (_tier, multiplier, points) => {
      expect(pointsById([totals('a', { minutes: { vigorous: 30 }, multiplier })])).toEqual({ a: points });
    });

    it.each([
      ['light', 1],
      ['moderate', 2],
      ['vigorous', 3],
    ] as const)('an active %s minute pays %d', (level, rate) => {
      expect(pointsById([totals('a', { minutes: { [level]: 10 } })])).toEqual({ a: 10 * rate });
    });

    it('10,000 steps at INT pay 100; steps pay pro rata', () => {
      expect(pointsById([totals('a', { type: 'steps', steps: 10_000 })])).toEqual({ a: 100 });
      expect(pointsById([totals('a', { type: 'steps', steps: 10_550 })])).toEqual({ a: 105 });
    });

    it('multiplies before rounding down: 250 steps at BEG = floor(2.5 × 1.2) = 3, not floor(2) × 1.2', () => {
      const [pay] = payDay([totals('a', { steps: 250, multiplier: 1.2 })]).records;
      expect(pay).toMatchObject({ base: 2.5, multiplied: 3, points: 3 });
      expect(pointsById([totals('a', { minutes: { light: 7 }, multiplier: 0.9 })])).toEqual({ a: 6 });
    });

    it('a day-totals record pays its steps and its minutes together', () => {
      const record = totals('a', { steps: 8_000, minutes: { light: 10, moderate: 10, vigorous: 10 } });
      expect(pointsById([record])).toEqual({ a: 80 + 10 + 20 + 30 });
    });

    it('bad figures (negative, NaN, infinite) pay nothing', () => {
      const record = totals('a', { steps: -5_000, minutes: { light: Number.NaN, vigorous: Infinity } });
      expect(pointsById([record, workout('w', '09:00', { durationMinutes: -40 })])).toEqual({ a: 0, w: 0 });
    });
  });

  describe('workouts and the bonus', () => {
    it('pays minutes × its intensity rate, multiplied, plus an unmultiplied 50 for 20+ minutes', () => {
      const [pay] = payDay([workout('w', '09:00', { durationMinutes: 45, multiplier: 1.2 })]).records;
      expect(pay).toMatchObject({ base: 90, multiplied: 108, bonus: 50, points: 158 });
    });

    it.each([
      [19, 0],
      [20, 50],
    ])('a %d-minute workout gets a bonus of %d', (minutes, bonus) => {
      const [pay] = payDay([workout('w', '09:00', { durationMinutes: minutes, intensity: 'light' })]).records;
      expect(pay.bonus).toBe(bonus);
    });

    it('pays a workout without an intensity at the light rate', () => {
      expect(pointsById([workout('w', '09:00', { durationMinutes: 10, intensity: null })])).toEqual({
        w: 10,
      });
    });

    it('gives at most 3 bonuses a day, to the first three qualifying workouts by start time', () => {
      const day = [
        workout('d', '18:00'),
        workout('short', '06:00', { durationMinutes: 15 }),
        workout('c', '12:00'),
        workout('a', '07:00'),
        workout('b', '08:00'),
      ];
      const bonus = Object.fromEntries(payDay(day).records.map((r) => [r.id, r.bonus]));
      expect(bonus).toEqual({ short: 0, a: 50, b: 50, c: 50, d: 0 });
    });

    it('a workout that may not earn uses no bonus', () => {
      const day = [
        workout('manual', '06:00', { noPay: 'manual' }),
        workout('a', '07:00'),
        workout('b', '08:00'),
        workout('c', '09:00'),
      ];
      const bonus = Object.fromEntries(payDay(day).records.map((r) => [r.id, r.bonus]));
      expect(bonus).toEqual({ manual: 0, a: 50, b: 50, c: 50 });
    });
  });

  describe('workout minutes are not paid twice', () => {
    it('takes the workouts minutes out of the day totals, per intensity', () => {
      const day = [
        totals('day', { minutes: { moderate: 60, vigorous: 30 } }),
        workout('w', '09:00', { durationMinutes: 40, intensity: 'moderate' }),
      ];
      const { records } = payDay(day);
      expect(records[0].paidMinutes).toEqual({ light: 0, moderate: 20, vigorous: 30 });
      expect(pointsById(day)).toEqual({ day: 40 + 90, w: 80 + 50 });
    });

    it('never below 0 minutes of an intensity', () => {
      const day = [
        totals('day', { minutes: { moderate: 60, vigorous: 30 } }),
        workout('w1', '09:00', { durationMinutes: 50, intensity: 'moderate' }),
        workout('w2', '19:00', { durationMinutes: 40, intensity: 'moderate' }),
      ];
      expect(payDay(day).records[0].paidMinutes).toEqual({ light: 0, moderate: 0, vigorous: 30 });
    });

    it('a held, rejected or manual workout still takes its minutes out (fail closed); a duplicate or withdrawn one does not', () => {
      const paidModerate = (noPay: DayRecord['noPay']) =>
        payDay([totals('day', { minutes: { moderate: 60 } }), workout('w', '09:00', { noPay })]).records[0]
          .paidMinutes!.moderate;
      expect(paidModerate('held')).toBe(30);
      expect(paidModerate('rejected')).toBe(30);
      expect(paidModerate('manual')).toBe(30);
      expect(paidModerate('before_connection')).toBe(30);
      expect(paidModerate('duplicate')).toBe(60);
      expect(paidModerate('withdrawn')).toBe(60);
    });
  });

  describe('the daily cap', () => {
    it('980 + 50 → 20: the crossing record is truncated and says so; later records get 0', () => {
      const day = [
        totals('a', { minutes: { vigorous: 300, light: 80 } }),
        totals('b', { type: 'steps', steps: 5_000 }),
        workout('w', '20:00', { durationMinutes: 10 }),
      ];
      const { total, records } = payDay(day);
      expect(total).toBe(RULES.DAILY_CAP);
      expect(records.map((r) => [r.id, r.points, r.capped])).toEqual([
        ['a', 980, false],
        ['b', 20, true],
        ['w', 0, true],
      ]);
      expect(paymentsFor(payDay(day), new Map([['a', 980]]))).toEqual([
        { recordId: 'b', amount: 20, type: 'earn', note: DAILY_CAP_NOTE },
      ]);
    });

    it('950 + 100 → 50, the bonus included in what the cap truncates', () => {
      const day = [
        totals('day', { steps: 5_000, minutes: { vigorous: 300, moderate: 25 } }),
        workout('w', '09:00', { durationMinutes: 25, intensity: 'moderate' }),
      ];
      const { records } = payDay(day);
      expect(records[0].points).toBe(950);
      expect(records[1]).toMatchObject({ multiplied: 50, bonus: 50, points: 50, capped: true });
    });

    it('applies after multipliers and bonuses: exactly 1,000 is not capped', () => {
      const { total, records } = payDay([
        totals('a', { steps: 80_000, multiplier: 1.2 }),
        workout('w', '09:00'),
      ]);
      expect(total).toBe(1000);
      expect(records.map((r) => [r.points, r.capped])).toEqual([
        [960, false],
        [40, true],
      ]);
      expect(payDay([totals('a', { steps: 100_000 })]).records[0]).toMatchObject({
        points: 1000,
        capped: false,
      });
    });
  });

  describe('order within a day', () => {
    it('is by start time, never by arrival: the same records in any order pay the same', () => {
      const day = [
        workout('late', '21:00', { durationMinutes: 200, intensity: 'vigorous' }),
        workout('early', '06:00', { durationMinutes: 200, intensity: 'vigorous' }),
      ];
      expect(pointsById(day)).toEqual({ early: 650, late: 350 });
      expect(pointsById([...day].reverse())).toEqual({ early: 650, late: 350 });
    });

    it('breaks a tie in start time by id', () => {
      const day = [
        workout('b', '06:00', { durationMinutes: 200, intensity: 'vigorous' }),
        workout('a', '06:00', { durationMinutes: 200, intensity: 'vigorous' }),
      ];
      expect(pointsById(day)).toEqual({ a: 650, b: 350 });
    });

    it('refuses the same record twice, or a record without a sane multiplier', () => {
      expect(() => payDay([workout('a', '06:00'), workout('a', '07:00')])).toThrow('given twice');
      expect(() => payDay([workout('a', '06:00', { multiplier: Number.NaN })])).toThrow('Bad multiplier');
    });
  });

  describe('what earns', () => {
    const ok: EligibilityFacts = {
      day: DAY,
      connectedOn: DAY,
      manual: false,
      review: 'none',
      duplicate: false,
      withdrawn: false,
    };

    it.each([
      [{}, null],
      [{ review: 'approved' }, null],
      [{ connectedOn: addDays(DAY, 1) }, 'before_connection'],
      [{ connectedOn: null }, 'before_connection'],
      [{ manual: true }, 'manual'],
      [{ review: 'pending' }, 'held'],
      [{ review: 'rejected' }, 'rejected'],
      [{ duplicate: true }, 'duplicate'],
      [{ withdrawn: true, duplicate: true }, 'withdrawn'],
    ] as const)('%j → %s', (change, reason) => {
      expect(noPayReason({ ...ok, ...change })).toBe(reason);
    });

    it('a record that may not earn pays 0, counts toward neither the cap nor the bonuses', () => {
      const day = [
        totals('held', { steps: 100_000, noPay: 'held' }),
        workout('w', '09:00', { durationMinutes: 30 }),
      ];
      const { total, records } = payDay(day);
      expect(records[0]).toMatchObject({ points: 0, noPay: 'held', capped: false });
      expect(records[1].points).toBe(110);
      expect(total).toBe(110);
    });

    it.each([
      [DAY, true],
      [addDays(DAY, 7), true],
      [addDays(DAY, 8), false],
    ])('a day stays open to revisions for 7 days after its date (today %s → %s)', (today, open) => {
      expect(dayIsOpen(DAY, today)).toBe(open);
    });

    it('the revision window is configurable', () => {
      expect(dayIsOpen(DAY, addDays(DAY, 3), 2)).toBe(false);
    });
  });

  describe('paying the difference', () => {
    it('a revision pays only the difference; a downward one is an adjust; a replay changes nothing', () => {
      const paid = new Map([['day', 30]]);
      const up = payDay([totals('day', { steps: 8_000 })]);
      expect(paymentsFor(up, paid)).toEqual([{ recordId: 'day', amount: 50, type: 'earn', note: null }]);
      expect(paymentsFor(up, new Map([['day', 80]]))).toEqual([]);
      const down = payDay([totals('day', { steps: 5_000 })]);
      expect(paymentsFor(down, new Map([['day', 80]]))).toEqual([
        { recordId: 'day', amount: -30, type: 'adjust', note: null },
      ]);
    });

    it('a late primary reverses the duplicate it replaces', () => {
      const before = payDay([workout('other', '09:00')]);
      const paid = new Map(before.records.map((r) => [r.id, r.points]));
      const after = payDay([workout('other', '09:00', { noPay: 'duplicate' }), workout('primary', '09:01')]);
      expect(paymentsFor(after, paid)).toEqual([
        { recordId: 'primary', amount: 110, type: 'earn', note: null },
        { recordId: 'other', amount: -110, type: 'adjust', note: null },
      ]);
    });

    it('an earlier record arriving late moves the cap onto a later one', () => {
      const late = workout('late', '21:00', { durationMinutes: 300, intensity: 'vigorous' });
      const early = workout('early', '06:00', { durationMinutes: 300, intensity: 'vigorous' });
      const paid = new Map(payDay([late]).records.map((r) => [r.id, r.points]));
      expect(paid.get('late')).toBe(950);
      expect(paymentsFor(payDay([late, early]), paid)).toEqual([
        { recordId: 'early', amount: 950, type: 'earn', note: null },
        { recordId: 'late', amount: -900, type: 'adjust', note: DAILY_CAP_NOTE },
      ]);
    });

    it('pays back a paid record missing from the day', () => {
      expect(paymentsFor(payDay([]), new Map([['gone', 40]]))).toEqual([
        { recordId: 'gone', amount: -40, type: 'adjust', note: null },
      ]);
    });
  });

  describe('the day a record counts for', () => {
    const zones = { profileTimeZone: 'America/Los_Angeles', competitionTimeZone: NY };
    const start = new Date('2026-05-13T05:30:00Z'); // 01:30 in New York, 22:30 the day before in Los Angeles

    it('a daily payload: its own date', () => {
      expect(recordDay({ type: 'steps', startTime: start, localDate: '2026-05-13' }, zones)).toBe(
        '2026-05-13',
      );
    });

    it('a workout: its start date at its own UTC offset, else the profile zone, else the competition zone', () => {
      expect(recordDay({ type: 'workout', startTime: start, utcOffsetMinutes: 9 * 60 }, zones)).toBe(
        '2026-05-13',
      );
      expect(recordDay({ type: 'workout', startTime: start, utcOffsetMinutes: -10 * 60 }, zones)).toBe(
        '2026-05-12',
      );
      expect(recordDay({ type: 'workout', startTime: start, localDate: '2026-01-01' }, zones)).toBe(
        '2026-05-12',
      );
      expect(recordDay({ type: 'workout', startTime: start }, zones)).toBe('2026-05-12');
      expect(recordDay({ type: 'workout', startTime: start }, { ...zones, profileTimeZone: null })).toBe(
        '2026-05-13',
      );
    });

    it('the connection day is the user’s date of the connection', () => {
      expect(userDay(start, zones)).toBe('2026-05-12');
      expect(userDay(start, { ...zones, profileTimeZone: null })).toBe('2026-05-13');
    });

    describe.each([
      // 2026-03-08: 02:00 EST → 03:00 EDT, a 23-hour day.
      [
        '2026-03-08',
        23,
        ['2026-03-08T05:00:00Z', '2026-03-08T06:59:00Z', '2026-03-08T07:00:00Z', '2026-03-09T03:59:00Z'],
      ],
      // 2026-11-01: 02:00 EDT → 01:00 EST, a 25-hour day (01:30 happens twice).
      [
        '2026-11-01',
        25,
        ['2026-11-01T04:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T04:59:00Z'],
      ],
    ])('on the DST day %s in New York', (date, hours, inside) => {
      it(`the day has ${hours} hours`, () => {
        const length = startOfDayIn(addDays(date, 1), NY).getTime() - startOfDayIn(date, NY).getTime();
        expect(length).toBe(hours * 3_600_000);
      });

      it('records from its first to its last minute count for it, the instants either side do not', () => {
        const nyOnly = { profileTimeZone: null, competitionTimeZone: NY };
        const dayOf = (iso: string) => recordDay({ type: 'workout', startTime: new Date(iso) }, nyOnly);
        for (const iso of inside) expect(dayOf(iso)).toBe(date);
        const first = startOfDayIn(date, NY).getTime();
        const next = startOfDayIn(addDays(date, 1), NY).getTime();
        expect(dayOf(new Date(first - 60_000).toISOString())).toBe(addDays(date, -1));
        expect(dayOf(new Date(next).toISOString())).toBe(addDays(date, 1));
      });

      it('pays its records once, as one day under one cap', () => {
        const records = inside.map((iso, i) => ({
          ...workout(`w${i}`, '00:00', { durationMinutes: 100, intensity: 'vigorous' as const }),
          startTime: new Date(iso),
        }));
        const { total, records: paid } = payDay(records);
        expect(total).toBe(1000);
        expect(paid.map((r) => r.points)).toEqual([350, 350, 300, 0]);
      });
    });
  });

  describe('plausibility', () => {
    const limits = PLAUSIBILITY_DEFAULTS;
    const codes = (record: Parameters<typeof implausibleReasons>[0], custom = limits) =>
      implausibleReasons(record, custom).map((r) => r.code);

    it.each([
      [{ type: 'steps', steps: 60_000 }, []],
      [{ type: 'steps', steps: 60_001 }, ['steps_per_day']],
      [{ type: 'active_minutes', minutes: { light: 500, moderate: 300, vigorous: 160 } }, []],
      [{ type: 'active_minutes', minutes: { light: 500, moderate: 300, vigorous: 161 } }, ['active_minutes']],
      [{ type: 'workout', durationMinutes: 720 }, []],
      [{ type: 'workout', durationMinutes: 721 }, ['workout_length']],
      [{ type: 'workout', durationMinutes: 10, steps: 2_200 }, []],
      [{ type: 'workout', durationMinutes: 10, steps: 2_201 }, ['steps_per_minute']],
      [{ type: 'workout', durationMinutes: 9, steps: 9_000 }, []],
      [{ type: 'workout', durationMinutes: 30, cheatDetection: 0 }, []],
      [{ type: 'workout', durationMinutes: 30, cheatDetection: null }, []],
      [{ type: 'workout', durationMinutes: 30, cheatDetection: 1 }, ['cheat_detection']],
      [{ type: 'steps', steps: 1_000, cheatDetection: Number.NaN }, ['cheat_detection']],
    ] as const)('%p → %j', (record, expected) => {
      expect(codes(record)).toEqual(expected);
    });

    it('thresholds are configurable', () => {
      expect(codes({ type: 'steps', steps: 30_001 }, { ...limits, maxStepsPerDay: 30_000 })).toEqual([
        'steps_per_day',
      ]);
    });

    it('says why, for the admin', () => {
      expect(implausibleReasons({ type: 'steps', steps: 72_000 })).toEqual([
        { code: 'steps_per_day', detail: '72000 steps in a day (limit 60000)' },
      ]);
    });
  });
});
