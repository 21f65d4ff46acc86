import type { Terra } from 'terra-api';
import { normaliseActivity, normaliseDaily, providerFromTerra } from './terra-normaliser';

const owner = { userId: 'user-1', provider: 'fitbit' as const };

const daily = (overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  ({
    metadata: {
      start_time: '2026-03-10T00:00:00.000000-05:00',
      end_time: '2026-03-11T00:00:00.000000-05:00',
      upload_type: 1,
      ...metadata,
    },
    distance_data: { steps: 8123, distance_meters: 6000 },
    active_durations_data: {
      low_intensity_seconds: 1800,
      moderate_intensity_seconds: 1200,
      vigorous_intensity_seconds: 600,
    },
    ...overrides,
  }) as unknown as Terra.Daily;

const workout = (overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  ({
    metadata: {
      summary_id: 'sum-1',
      start_time: '2026-03-10T07:00:00+01:00',
      end_time: '2026-03-10T07:45:00+01:00',
      type: 8,
      name: 'Morning run',
      upload_type: 1,
      ...metadata,
    },
    active_durations_data: {
      activity_seconds: 2400,
      vigorous_intensity_seconds: 1800,
      moderate_intensity_seconds: 600,
    },
    distance_data: { summary: { steps: 5000, distance_meters: 7000 } },
    calories_data: { total_burned_calories: 450 },
    heart_rate_data: { summary: { avg_hr_bpm: 150, max_hr_bpm: 180 } },
    cheat_detection: 0,
    ...overrides,
  }) as unknown as Terra.Activity;

describe('normaliseDaily', () => {
  it('turns a daily into a steps and an active_minutes record keyed by its local date', () => {
    const { records, skipped } = normaliseDaily(owner, [daily()]);
    expect(skipped).toBe(0);
    expect(records).toEqual([
      expect.objectContaining({
        type: 'steps',
        externalId: 'daily:2026-03-10:steps',
        localDate: '2026-03-10',
        steps: 8123,
        utcOffsetMinutes: -300,
        uploadType: 'automatic',
        startTime: new Date('2026-03-10T05:00:00Z'),
        metrics: { distance_meters: 6000, upload_type: 1 },
      }),
      expect.objectContaining({
        type: 'active_minutes',
        externalId: 'daily:2026-03-10:active_minutes',
        minutes: { light: 30, moderate: 20, vigorous: 10 },
      }),
    ]);
  });

  it('keeps the latest of several running totals for one date', () => {
    const early = daily({ distance_data: { steps: 3000 } });
    const late = daily({ distance_data: { steps: 8000 } });
    const steps = normaliseDaily(owner, [early, late]).records.filter((r) => r.type === 'steps');
    expect(steps).toHaveLength(1);
    expect(steps[0].steps).toBe(8000);
  });

  it('tolerates missing and null fields; MET minutes stand in for missing durations', () => {
    const sparse = daily({
      distance_data: null,
      active_durations_data: undefined,
      MET_data: { num_high_intensity_minutes: 12 },
    });
    const { records } = normaliseDaily(owner, [sparse]);
    expect(records).toEqual([
      expect.objectContaining({ type: 'active_minutes', minutes: { light: 0, moderate: 0, vigorous: 12 } }),
    ]);
    expect(
      normaliseDaily(owner, [{ metadata: {} } as unknown as Terra.Daily, null as unknown as Terra.Daily]),
    ).toEqual({
      records: [],
      skipped: 2,
    });
  });

  it('maps upload_type 2 to manual and 4 to delete', () => {
    expect(normaliseDaily(owner, [daily({}, { upload_type: 2 })]).records[0].uploadType).toBe('manual');
    const deleted = normaliseDaily(owner, [
      daily({ distance_data: undefined, active_durations_data: undefined }, { upload_type: 4 }),
    ]);
    expect(deleted.records.map((r) => [r.externalId, r.uploadType])).toEqual([
      ['daily:2026-03-10:steps', 'delete'],
      ['daily:2026-03-10:active_minutes', 'delete'],
    ]);
  });
});

describe('normaliseActivity', () => {
  it('turns an activity into a workout keyed by summary_id with its raw detail in metrics', () => {
    const [record] = normaliseActivity(owner, [workout()]).records;
    expect(record).toEqual(
      expect.objectContaining({
        type: 'workout',
        externalId: 'sum-1',
        durationMinutes: 40,
        intensity: 'vigorous',
        steps: 5000,
        utcOffsetMinutes: 60,
        cheatDetection: 0,
        uploadType: 'automatic',
        startTime: new Date('2026-03-10T06:00:00Z'),
        endTime: new Date('2026-03-10T06:45:00Z'),
      }),
    );
    expect(record.metrics).toEqual({
      workout_name: 'Morning run',
      terra_activity_type: 8,
      distance_meters: 7000,
      calories: 450,
      avg_heart_rate: 150,
      max_heart_rate: 180,
      moderate_minutes: 10,
      vigorous_minutes: 30,
      upload_type: 1,
    });
  });

  it('falls back to the clock time for the duration and to light for an unknown intensity', () => {
    const [record] = normaliseActivity(owner, [
      workout({ active_durations_data: null, MET_data: null }),
    ]).records;
    expect(record.durationMinutes).toBe(45);
    expect(record.intensity).toBeNull();
  });

  it('skips items without summary_id or usable times; upload_type 4 withdraws', () => {
    const { records, skipped } = normaliseActivity(owner, [
      workout({}, { summary_id: undefined }),
      workout({}, { start_time: 'yesterday' }),
      workout({}, { end_time: '2026-03-10T06:00:00+01:00' }),
      workout({}, { summary_id: 'gone', upload_type: 4 }),
    ]);
    expect(skipped).toBe(3);
    expect(records.map((r) => [r.externalId, r.uploadType])).toEqual([['gone', 'delete']]);
  });

  it('maps Terra provider names to ours', () => {
    expect(['FITBIT', 'GOOGLE', 'GOOGLEFIT', 'APPLE', 'GARMIN', undefined].map(providerFromTerra)).toEqual([
      'fitbit',
      'google_fit',
      'google_fit',
      'apple_health',
      null,
      null,
    ]);
  });
});
