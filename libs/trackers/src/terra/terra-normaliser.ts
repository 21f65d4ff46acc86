import type { Terra } from 'terra-api';
import type { ActivityMetrics, Intensity } from '../entities/activity.entity';
import type { Provider } from '../entities/tracker-connection.entity';
import type { NormalisedRecord } from '../ingestion.service';

/** Who the payload belongs to on our side. */
export interface RecordOwner {
  userId: string;
  provider: Provider;
}

export interface Normalised {
  records: NormalisedRecord[];
  /** Payload items without the fields a record needs (no usable times, no summary_id). */
  skipped: number;
}

/** Terra provider names ↔ ours (terra.md). */
export const TERRA_PROVIDER: Record<Provider, string> = {
  fitbit: 'FITBIT',
  google_fit: 'GOOGLE',
  apple_health: 'APPLE',
};

export function providerFromTerra(name: string | null | undefined): Provider | null {
  switch ((name ?? '').toUpperCase()) {
    case 'FITBIT':
      return 'fitbit';
    case 'GOOGLE':
    case 'GOOGLEFIT':
      return 'google_fit';
    case 'APPLE':
      return 'apple_health';
    default:
      return null;
  }
}

/** Terra upload_type: 2 manual (earns 0), 4 delete (withdraws the record); everything else counts as automatic. */
function uploadTypeOf(value: unknown): NormalisedRecord['uploadType'] {
  if (value === 2) return 'manual';
  if (value === 4) return 'delete';
  return 'automatic';
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const minutesOf = (seconds: unknown): number | undefined => {
  const value = num(seconds);
  return value === undefined ? undefined : Math.max(0, Math.round(value / 60));
};

/** A Terra time (ISO 8601 with offset): the instant, and the offset in minutes when it gave one. */
function timeOf(value: unknown): { at: Date; offset: number | null } | null {
  if (typeof value !== 'string') return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  const match = /(Z|[+-]\d{2}:?\d{2})$/.exec(value.trim());
  if (!match) return { at, offset: null };
  if (match[1] === 'Z') return { at, offset: 0 };
  const sign = match[1].startsWith('-') ? -1 : 1;
  const digits = match[1].replace(/[+:-]/g, '');
  return { at, offset: sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) };
}

/** Drops undefined values: metrics keep what the tracker actually reported. */
function compact(metrics: Record<string, number | string | undefined>): ActivityMetrics {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => v !== undefined)) as ActivityMetrics;
}

/**
 * Terra `daily` payloads → a `steps` and an `active_minutes` record per local date (external ids
 * `daily:YYYY-MM-DD:steps` / `…:active_minutes`). Dailies are running totals: when a batch holds several
 * for one date, the last one wins (ingestion then replaces what was stored).
 */
export function normaliseDaily(owner: RecordOwner, items: readonly Terra.Daily[]): Normalised {
  const byId = new Map<string, NormalisedRecord>();
  let skipped = 0;
  for (const item of items ?? []) {
    const metadata = item?.metadata as Partial<Terra.DailyMetadata> | undefined;
    const start = timeOf(metadata?.start_time);
    const end =
      timeOf(metadata?.end_time) ??
      (start && { at: new Date(start.at.getTime() + 86_400_000), offset: start.offset });
    if (!start || !end || typeof metadata?.start_time !== 'string') {
      skipped++;
      continue;
    }
    // The payload's own date: its start is local midnight, written with the local offset.
    const localDate = metadata.start_time.slice(0, 10);
    const uploadType = uploadTypeOf(metadata.upload_type);
    const durations = item.active_durations_data ?? {};
    const met = item.MET_data ?? {};
    const common = {
      ...owner,
      localDate,
      startTime: start.at,
      endTime: end.at,
      utcOffsetMinutes: start.offset,
      uploadType,
    };
    const raw = {
      distance_meters: num(item.distance_data?.distance_meters),
      calories: num(item.calories_data?.total_burned_calories),
      avg_heart_rate: num(item.heart_rate_data?.summary?.avg_hr_bpm),
      max_heart_rate: num(item.heart_rate_data?.summary?.max_hr_bpm),
      floors_climbed: num(item.distance_data?.floors_climbed),
      upload_type: num(metadata.upload_type),
    };
    const steps = num(item.distance_data?.steps);
    if (steps !== undefined || uploadType === 'delete') {
      byId.set(`daily:${localDate}:steps`, {
        ...common,
        type: 'steps',
        externalId: `daily:${localDate}:steps`,
        steps: steps === undefined ? undefined : Math.max(0, Math.round(steps)),
        metrics: compact(raw),
      });
    }
    const light = minutesOf(durations.low_intensity_seconds) ?? num(met.num_low_intensity_minutes);
    const moderate =
      minutesOf(durations.moderate_intensity_seconds) ?? num(met.num_moderate_intensity_minutes);
    const vigorous = minutesOf(durations.vigorous_intensity_seconds) ?? num(met.num_high_intensity_minutes);
    if ([light, moderate, vigorous].some((v) => v !== undefined) || uploadType === 'delete') {
      byId.set(`daily:${localDate}:active_minutes`, {
        ...common,
        type: 'active_minutes',
        externalId: `daily:${localDate}:active_minutes`,
        minutes: { light: light ?? 0, moderate: moderate ?? 0, vigorous: vigorous ?? 0 },
        metrics: compact({
          ...raw,
          activity_seconds: num(durations.activity_seconds),
          inactivity_seconds: num(durations.inactivity_seconds),
        }),
      });
    }
  }
  return { records: [...byId.values()], skipped };
}

/** The workout's intensity: where most of its time went (Terra's seconds, else MET minutes); light if unknown. */
function intensityOf(item: Terra.Activity): Intensity | null {
  const durations = item.active_durations_data ?? {};
  const met = item.MET_data ?? {};
  const candidates: Array<[Intensity, number | undefined]> = [
    ['vigorous', num(durations.vigorous_intensity_seconds) ?? num(met.num_high_intensity_minutes)],
    ['moderate', num(durations.moderate_intensity_seconds) ?? num(met.num_moderate_intensity_minutes)],
    ['light', num(durations.low_intensity_seconds) ?? num(met.num_low_intensity_minutes)],
  ];
  let best: [Intensity, number] | null = null;
  for (const [intensity, value] of candidates) {
    if (value !== undefined && value > 0 && (!best || value > best[1])) best = [intensity, value];
  }
  return best?.[0] ?? null;
}

/** Terra `activity` payloads → `workout` records keyed by `summary_id`; the last of duplicates wins. */
export function normaliseActivity(owner: RecordOwner, items: readonly Terra.Activity[]): Normalised {
  const byId = new Map<string, NormalisedRecord>();
  let skipped = 0;
  for (const item of items ?? []) {
    const metadata = item?.metadata as Partial<Terra.ActivityMetadata> | undefined;
    const start = timeOf(metadata?.start_time);
    const end = timeOf(metadata?.end_time);
    const summaryId = typeof metadata?.summary_id === 'string' ? metadata.summary_id.trim() : '';
    if (!start || !end || !summaryId || summaryId.length > 128 || end.at < start.at) {
      skipped++;
      continue;
    }
    const durations = item.active_durations_data ?? {};
    const activeSeconds = num(durations.activity_seconds);
    byId.set(summaryId, {
      ...owner,
      type: 'workout',
      externalId: summaryId,
      startTime: start.at,
      endTime: end.at,
      utcOffsetMinutes: start.offset,
      durationMinutes:
        activeSeconds !== undefined
          ? Math.max(0, Math.round(activeSeconds / 60))
          : Math.round((end.at.getTime() - start.at.getTime()) / 60_000),
      intensity: intensityOf(item),
      steps: num(item.distance_data?.summary?.steps),
      uploadType: uploadTypeOf(metadata?.upload_type),
      cheatDetection: num(item.cheat_detection) ?? null,
      metrics: compact({
        workout_name: typeof metadata?.name === 'string' ? metadata.name.slice(0, 200) : undefined,
        terra_activity_type: num(metadata?.type),
        distance_meters: num(item.distance_data?.summary?.distance_meters),
        calories: num(item.calories_data?.total_burned_calories),
        avg_heart_rate: num(item.heart_rate_data?.summary?.avg_hr_bpm),
        max_heart_rate: num(item.heart_rate_data?.summary?.max_hr_bpm),
        light_minutes: minutesOf(durations.low_intensity_seconds),
        moderate_minutes: minutesOf(durations.moderate_intensity_seconds),
        vigorous_minutes: minutesOf(durations.vigorous_intensity_seconds),
        upload_type: num(metadata?.upload_type),
      }),
    });
  }
  return { records: [...byId.values()], skipped };
}
