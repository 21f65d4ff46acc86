import fc from 'fast-check';
import { type DayRecord, type NoPayReason, payDay, paymentsFor, RULES } from './points-rules';

const MIDNIGHT = Date.parse('2026-05-12T04:00:00Z'); // 2026-05-12 00:00 in New York
const NO_PAY: NoPayReason[] = ['withdrawn', 'duplicate', 'rejected', 'held', 'manual', 'before_connection'];

/** A record's data, without its id: ids are given by position so they are unique. */
const recordData = fc.record({
  type: fc.constantFrom<DayRecord['type']>('steps', 'active_minutes', 'workout', 'workout'),
  startSecond: fc.integer({ min: 0, max: 86_399 }),
  durationMinutes: fc.integer({ min: 0, max: 240 }),
  intensity: fc.constantFrom<DayRecord['intensity']>('light', 'moderate', 'vigorous', null),
  steps: fc.integer({ min: 0, max: 40_000 }),
  minutes: fc.record({
    light: fc.integer({ min: 0, max: 300 }),
    moderate: fc.integer({ min: 0, max: 200 }),
    vigorous: fc.integer({ min: 0, max: 120 }),
  }),
  multiplier: fc.constantFrom(1.2, 1.0, 0.9),
  noPay: fc.option(fc.constantFrom(...NO_PAY), { freq: 3 }),
});
type RecordData = typeof recordData extends fc.Arbitrary<infer T> ? T : never;

function toRecord(id: string, { startSecond, ...data }: RecordData): DayRecord {
  return { id, ...data, startTime: new Date(MIDNIGHT + startSecond * 1000) };
}

const day = fc
  .array(recordData, { maxLength: 12 })
  .map((list) => list.map((data, i) => toRecord(`r${String(i).padStart(2, '0')}`, data)));

/** A day and the same records in another order. */
const dayAndShuffle = day.chain((records) =>
  fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length })),
);

const pointsOf = (records: DayRecord[]) => new Map(payDay(records).records.map((r) => [r.id, r.points]));

describe('points rules: properties', () => {
  it('depend only on the set of records, never on their order', () => {
    fc.assert(
      fc.property(dayAndShuffle, ([records, shuffled]) => expect(payDay(shuffled)).toEqual(payDay(records))),
    );
  });

  it('the day total is the sum of the records’ points, never negative, never above the cap', () => {
    fc.assert(
      fc.property(day, (records) => {
        const { total, records: paid } = payDay(records);
        expect(total).toBe(paid.reduce((sum, r) => sum + r.points, 0));
        expect(total).toBeLessThanOrEqual(RULES.DAILY_CAP);
        for (const r of paid) expect(r.points).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('a record that may not earn pays 0; one that may is paid in full until the cap, then truncated, then 0', () => {
    fc.assert(
      fc.property(day, (records) => {
        let room = RULES.DAILY_CAP;
        for (const r of payDay(records).records) {
          if (r.noPay) {
            expect(r.points).toBe(0);
            continue;
          }
          expect(r.points).toBe(Math.min(r.multiplied + r.bonus, room));
          expect(r.capped).toBe(r.multiplied + r.bonus > room);
          room -= r.points;
        }
      }),
    );
  });

  it('at most 3 bonuses a day, to the first qualifying workouts that may earn', () => {
    fc.assert(
      fc.property(day, (records) => {
        const ordered = payDay(records).records;
        const byId = new Map(records.map((r) => [r.id, r]));
        const qualifying = ordered.filter((r) => {
          const record = byId.get(r.id)!;
          return !r.noPay && record.type === 'workout' && record.durationMinutes! >= 20;
        });
        const withBonus = ordered.filter((r) => r.bonus > 0).map((r) => r.id);
        expect(withBonus).toEqual(qualifying.slice(0, RULES.MAX_BONUSES_PER_DAY).map((r) => r.id));
      }),
    );
  });

  it('a new record changes what earlier records earn only by taking its workout minutes out of the day totals', () => {
    fc.assert(
      fc.property(day, recordData, (records, extraData) => {
        const extra = toRecord('new', extraData);
        const earlier = records.filter(
          (r) => r.startTime < extra.startTime || (+r.startTime === +extra.startTime && r.id < extra.id),
        );
        const sumOf = (points: Map<string, number>) => earlier.reduce((sum, r) => sum + points.get(r.id)!, 0);
        const before = pointsOf(records);
        const after = pointsOf([...records, extra]);
        // The same record held for review takes out the same minutes but earns nothing itself.
        const kept = extra.noPay === 'duplicate' || extra.noPay === 'withdrawn';
        const held = pointsOf([...records, { ...extra, noPay: kept ? extra.noPay : 'held' }]);
        for (const r of earlier) expect(after.get(r.id)).toBe(held.get(r.id));
        if (extra.type !== 'workout') for (const r of earlier) expect(after.get(r.id)).toBe(before.get(r.id));
        expect(sumOf(after)).toBeLessThanOrEqual(sumOf(before));
      }),
    );
  });

  it('workout minutes are paid once: day totals pay only the minutes the workouts leave', () => {
    fc.assert(
      fc.property(day, (records) => {
        const inWorkouts = { light: 0, moderate: 0, vigorous: 0 };
        for (const r of records) {
          if (r.type === 'workout' && r.noPay !== 'duplicate' && r.noPay !== 'withdrawn') {
            inWorkouts[r.intensity ?? 'light'] += r.durationMinutes!;
          }
        }
        const byId = new Map(records.map((r) => [r.id, r]));
        for (const paid of payDay(records).records) {
          const record = byId.get(paid.id)!;
          if (record.type === 'workout') continue;
          for (const level of ['light', 'moderate', 'vigorous'] as const) {
            expect(paid.paidMinutes![level]).toBe(Math.max(0, record.minutes![level]! - inWorkouts[level]));
          }
        }
      }),
    );
  });

  it('deliveries in any order, with revisions, replays, duplicates and late primaries: the ledger ends at the rules applied to the final data, and never passes the cap', () => {
    // A delivery sets one record's current data (a first delivery, a revision, a replay, or a change in
    // whether it pays, e.g. a primary arriving makes another tracker's record a duplicate).
    const delivery = fc.record({ slot: fc.integer({ min: 0, max: 5 }), data: recordData });
    fc.assert(
      fc.property(fc.array(delivery, { minLength: 1, maxLength: 25 }), (deliveries) => {
        const current = new Map<string, DayRecord>();
        const ledger: { recordId: string; amount: number }[] = [];
        const paidSoFar = new Map<string, number>();
        for (const { slot, data } of deliveries) {
          current.set(`r${slot}`, toRecord(`r${slot}`, data));
          for (const payment of paymentsFor(payDay([...current.values()]), paidSoFar)) {
            ledger.push(payment);
            paidSoFar.set(payment.recordId, (paidSoFar.get(payment.recordId) ?? 0) + payment.amount);
            expect(payment.type).toBe(payment.amount > 0 ? 'earn' : 'adjust');
          }
          // One recompute is one transaction: the day is checked at its end.
          const dayTotal = ledger.reduce((sum, entry) => sum + entry.amount, 0);
          expect(dayTotal).toBeLessThanOrEqual(RULES.DAILY_CAP);
          expect(dayTotal).toBeGreaterThanOrEqual(0);
        }
        const final = payDay([...current.values()]);
        for (const r of final.records) expect(paidSoFar.get(r.id) ?? 0).toBe(r.points);
        expect(ledger.reduce((sum, entry) => sum + entry.amount, 0)).toBe(final.total);
        // Re-delivering the final data posts nothing.
        expect(paymentsFor(final, paidSoFar)).toEqual([]);
      }),
    );
  });
});
