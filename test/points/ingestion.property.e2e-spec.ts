import fc from 'fast-check';
import { type DayRecord, noPayReason, payDay, RULES } from '@fittrack/points';
import type { NormalisedRecord } from '@fittrack/trackers';
import { createTestApp, type TestApp } from '../support/test-app';
import { activitiesOf, daily, engineUser, expectLedgerInvariant, ingest, workout } from './engine';

const DAY = '2026-11-21';
type Provider = 'fitbit' | 'google_fit';

/** One delivery: a record's data (or its withdrawal) as a tracker would send it, `key` naming the record. */
interface Delivery {
  key: string;
  provider: Provider;
  kind: 'workout' | 'steps' | 'active_minutes';
  startMinute: number;
  minutes: number;
  intensity: 'light' | 'moderate' | 'vigorous';
  steps: number;
  delete: boolean;
}

const delivery = fc.record({
  key: fc.integer({ min: 0, max: 5 }).map(String),
  provider: fc.constantFrom<Provider>('fitbit', 'google_fit'),
  kind: fc.constantFrom<Delivery['kind']>('workout', 'workout', 'steps', 'active_minutes'),
  startMinute: fc.integer({ min: 0, max: 23 * 60 }),
  minutes: fc.integer({ min: 1, max: 240 }),
  intensity: fc.constantFrom<Delivery['intensity']>('light', 'moderate', 'vigorous'),
  steps: fc.integer({ min: 0, max: 40_000 }),
  delete: fc.boolean().map((b) => b && Math.random() < 0.3),
});

/**
 * Property (issue 10): for random sequences of records, revisions, replays, withdrawals, duplicates from a
 * second tracker and late primaries, in any order and any batching, what the day is paid equals the rules
 * applied to the final data, never exceeds the cap, and the ledger invariant holds.
 */
describe('points engine: ingestion property', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-22T17:00:00Z' });
    t.clock.freeze();
  });
  afterAll(() => t.close());

  it('pays the rules over the final data, whatever the order and batching', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(delivery, { minLength: 1, maxLength: 14 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 14 }),
        async (deliveries, batchSizes) => {
          const user = await engineUser(t, { providers: ['fitbit', 'google_fit'] });
          const toRecord = (d: Delivery): NormalisedRecord => {
            // A record keeps its provider and type: the key names (provider, type, key).
            const externalId = `${d.kind}-${d.key}`;
            const base =
              d.kind === 'workout'
                ? workout(
                    user,
                    new Date(Date.parse(`${DAY}T05:00:00Z`) + d.startMinute * 60_000).toISOString(),
                    d.minutes,
                    {
                      intensity: d.intensity,
                    },
                  )
                : daily(
                    user,
                    DAY,
                    d.kind === 'steps' ? { steps: d.steps } : { minutes: { [d.intensity]: d.minutes } },
                  );
            return {
              ...base,
              externalId,
              provider: d.provider,
              uploadType: d.delete ? 'delete' : 'automatic',
            };
          };
          // Deliver in batches of random sizes; a replay of the whole sequence at the end changes nothing.
          const records = deliveries.map(toRecord);
          let at = 0;
          for (let i = 0; at < records.length; i++) {
            const size = batchSizes[i % batchSizes.length];
            await ingest(t, records.slice(at, at + size));
            at += size;
          }
          const replay = await ingest(t, records);
          expect(replay.paid).toBe(0);

          // The final data: the last delivery of each record; a withdrawal of a record never stored is nothing.
          const final = new Map<string, { record: NormalisedRecord; withdrawn: boolean }>();
          for (const record of records) {
            const id = `${record.provider}|${record.externalId}`;
            const previous = final.get(id);
            if (record.uploadType === 'delete') {
              if (previous) previous.withdrawn = true;
            } else final.set(id, { record, withdrawn: false });
          }
          const rows = await activitiesOf(t, user);
          expect(rows).toHaveLength(final.size);
          const overlaps = (a: NormalisedRecord, b: NormalisedRecord) =>
            a.type === b.type && a.startTime < b.endTime && b.startTime < a.endTime;
          const dayRecords: DayRecord[] = rows.map((row) => {
            const { record, withdrawn } = final.get(`${row.provider}|${row.externalId}`)!;
            const duplicate =
              !withdrawn &&
              record.provider !== 'fitbit' &&
              [...final.values()].some(
                (o) => o.record.provider === 'fitbit' && !o.withdrawn && overlaps(o.record, record),
              );
            return {
              id: row.id,
              type: record.type,
              startTime: record.startTime,
              durationMinutes: record.durationMinutes,
              intensity: record.intensity,
              steps: record.steps,
              minutes: record.minutes,
              multiplier: 1,
              noPay: noPayReason({
                day: DAY,
                connectedOn: '2026-01-01',
                manual: false,
                review: 'none',
                duplicate,
                withdrawn,
              }),
            };
          });
          const expected = payDay(dayRecords);
          const paid = new Map(rows.map((row) => [row.id, row.pointsEarned]));
          for (const record of expected.records) expect(paid.get(record.id)).toBe(record.points);
          const total = rows.reduce((sum, row) => sum + row.pointsEarned, 0);
          expect(total).toBe(expected.total);
          expect(total).toBeLessThanOrEqual(RULES.DAILY_CAP);
          await expectLedgerInvariant(t, user);
        },
      ),
      { numRuns: 25 },
    );
  });
});
