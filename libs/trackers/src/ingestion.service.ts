import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AppConfig,
  calendarDateIn,
  Clock,
  currentDbType,
  InjectConfig,
  UnitOfWork,
  UnprocessableError,
} from '@fittrack/core';
import {
  DAILY_CAP_NOTE,
  type DayRecord,
  dayIsOpen,
  type DayZones,
  implausibleReasons,
  type IntensityMinutes,
  LedgerService,
  multiplierFor,
  noPayReason,
  payDay,
  paymentsFor,
  type Posting,
  type PostResult,
  type RecordPay,
  recordDay,
  type RecordType,
  userDay,
} from '@fittrack/points';
import { ActivitiesRepository, type ConnectionFacts } from './activities.repository';
import { ActivityFlagsRepository } from './activity-flags.repository';
import type { Activity, ActivityMetrics, Intensity } from './entities/activity.entity';
import type { Provider } from './entities/tracker-connection.entity';

/** One record as a tracker integration (Terra) hands it over, already normalised. */
export interface NormalisedRecord {
  userId: string;
  provider: Provider;
  type: RecordType;
  /** Terra's summary_id for a workout; day totals may leave it out and give `localDate` instead. */
  externalId?: string | null;
  /** A day total's own date (YYYY-MM-DD): it runs local midnight to midnight. */
  localDate?: string | null;
  startTime: Date;
  endTime: Date;
  /** The UTC offset of the tracker's start time, when it gave one. */
  utcOffsetMinutes?: number | null;
  /** Workouts: their length and intensity (light when missing). */
  durationMinutes?: number;
  intensity?: Intensity | null;
  /** Day totals: the day's steps and minutes per intensity so far. */
  steps?: number;
  minutes?: Partial<IntensityMinutes>;
  /** Anything else the tracker reported (calories, heart rate, workout name, …), kept as it came. */
  metrics?: ActivityMetrics;
  /** Terra upload_type: manual entries earn 0, `delete` withdraws the record. */
  uploadType: 'automatic' | 'manual' | 'delete';
  /** Terra's anti-cheat signal; anything but 0 holds the record for review. */
  cheatDetection?: number | null;
}

export interface IngestResult {
  /** New records. */
  stored: number;
  /** Revised or withdrawn records. */
  updated: number;
  /** Replays of data already stored (and withdrawals of records never stored). */
  unchanged: number;
  /** Records newly held for an admin's review. */
  flagged: number;
  /** Net points posted to the ledger. */
  paid: number;
}

/** Users whose records are stored and paid at once on PostgreSQL/Oracle (SQLite units run one at a time). */
const PARALLEL_USERS = 4;

const WHAT: Record<RecordType, string> = {
  steps: 'Steps',
  active_minutes: 'Active minutes',
  workout: 'Workout',
};

/** The columns a record's data sets: two deliveries are the same data when these are equal. */
type Figures = Pick<
  Activity,
  | 'activityType'
  | 'startTime'
  | 'endTime'
  | 'durationMinutes'
  | 'intensity'
  | 'metrics'
  | 'localDate'
  | 'utcOffsetMinutes'
  | 'uploadSource'
>;

/**
 * Stores normalised tracker records and pays them by the points rules (libs/points rules): per user, in
 * one unit of work holding the user's ledger lock, it upserts the records idempotently by (user,
 * provider, external id), holds implausible ones for review, marks non-primary duplicates, then
 * recomputes every touched day from all its records and posts the difference from what each record has
 * been paid. Revisions, replays, late primaries and out-of-order delivery all reduce to that recompute.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly flags: ActivityFlagsRepository,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async ingest(records: readonly NormalisedRecord[]): Promise<IngestResult> {
    const byUser = new Map<string, NormalisedRecord[]>();
    for (const record of records) {
      const list = byUser.get(record.userId) ?? [];
      list.push(record);
      byUser.set(record.userId, list);
    }
    const total: IngestResult = { stored: 0, updated: 0, unchanged: 0, flagged: 0, paid: 0 };
    const queue = [...byUser];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const result = await this.unitOfWork.run(() => this.ingestForUser(next![0], next![1]));
        for (const key of Object.keys(total) as (keyof IngestResult)[]) total[key] += result[key];
      }
    };
    // Users in parallel each take a connection of their own; inside a caller's unit of work (seeding) they
    // would all share its one connection, which takes one query at a time: one after the other then.
    const workers = currentDbType() === 'sqlite' || this.unitOfWork.active ? 1 : PARALLEL_USERS;
    await Promise.all(Array.from({ length: Math.min(workers, queue.length) }, worker));
    return total;
  }

  /**
   * How the rules price `activity` within its day as stored now (base, multiplier, bonus, cap, why it pays
   * nothing): the same payDay that paid it, over the same records, for the activity detail.
   */
  async breakdown(activity: Activity): Promise<RecordPay | null> {
    // Rows stored before the engine (no day) were never priced by it.
    if (!activity.day) return null;
    const [context, dayRows] = await Promise.all([
      this.contextOf(activity.userId),
      this.activities.findByDays(activity.userId, [activity.day]),
    ]);
    const pay = payDay(dayRows.map((row) => toDayRecord(row, context)));
    return pay.records.find((record) => record.id === activity.id) ?? null;
  }

  /**
   * Recomputes and pays the user's days (an admin's decision on a held record). Joins the caller's unit
   * of work; closed days are left as they are.
   */
  async recomputeDays(userId: string, days: string[]): Promise<number> {
    return this.unitOfWork.run(async () => {
      let plan!: DayPlan;
      // postMany decides under the user's ledger lock: what is read here is what the days are paid from.
      const posted = await this.ledger.postMany(userId, async () => {
        const context = await this.contextOf(userId);
        plan = this.planDays(await this.activities.findByDays(userId, days), new Set(days), context);
        return plan.postings;
      });
      const { paid, changed } = settle(plan, posted);
      for (const row of changed) await this.activities.patch(row.id, payState(row));
      return paid;
    });
  }

  private async ingestForUser(userId: string, records: NormalisedRecord[]): Promise<IngestResult> {
    const result: IngestResult = { stored: 0, updated: 0, unchanged: 0, flagged: 0, paid: 0 };
    let staged!: Staged;
    // postMany decides under the user's ledger lock: what stage() reads is what the days are paid from.
    const posted = await this.ledger.postMany(userId, async () => {
      staged = await this.stage(userId, records, result);
      return staged.plan.postings;
    });
    const { inserts, patches, newFlags } = staged;
    const { paid, changed } = settle(staged.plan, posted);
    result.paid = paid;
    // Written once each, after paying: new rows with what they were paid, changed rows in one UPDATE.
    await this.activities.insertMany(inserts);
    const inserted = new Set(inserts.map((row) => row.id));
    for (const row of changed) {
      if (!inserted.has(row.id)) patches.set(row.id, { ...patches.get(row.id), ...payState(row) });
    }
    for (const [id, patch] of patches) await this.activities.patch(id, patch);
    // Only a record never held before is flagged, so each activity has at most one flag.
    for (const flag of newFlags) await this.flags.create({ ...flag, userId, status: 'open' });
    result.flagged = newFlags.length;
    return result;
  }

  /**
   * Under the user's ledger lock: matches the records with what is stored (counting them into `result`),
   * builds the new rows and the revisions, and plans the touched days' payments. Writes nothing.
   */
  private async stage(userId: string, records: NormalisedRecord[], result: IngestResult): Promise<Staged> {
    const context = await this.contextOf(userId);
    const now = this.clock.now();
    const dayOf = (record: NormalisedRecord) =>
      recordDay(
        {
          type: record.type,
          startTime: record.startTime,
          localDate: record.localDate,
          utcOffsetMinutes: record.utcOffsetMinutes,
        },
        context.zones,
      );
    // One read: the stored versions of these records and every record of the days they fall on (a
    // revision that moves a record off another day reads that day below).
    const externalIds = new Set(records.map(externalIdOf));
    const arrivingDays = new Set(records.filter((r) => r.uploadType !== 'delete').map(dayOf));
    const read = await this.activities.findByExternalIdsOrDays(userId, [...externalIds], [...arrivingDays]);
    const stored = new Map(
      read
        .filter((row) => externalIds.has(row.externalId))
        .map((row) => [`${row.provider}|${row.externalId}`, row]),
    );
    const touchedDays = new Set<string>();
    const inserts: Partial<Activity>[] = [];
    const patches = new Map<string, Partial<Activity>>();
    const newFlags: { activityId: string; reasons: { code: string; detail: string }[] }[] = [];

    for (const record of records) {
      const externalId = externalIdOf(record);
      const key = `${record.provider}|${externalId}`;
      const previous = stored.get(key);
      if (record.uploadType === 'delete') {
        if (!previous || previous.isWithdrawn) result.unchanged++;
        else {
          previous.isWithdrawn = true;
          patches.set(previous.id, { ...patches.get(previous.id), isWithdrawn: true });
          touchedDays.add(previous.day);
          result.updated++;
        }
        continue;
      }
      const figures = figuresOf(record);
      const day = dayOf(record);
      const reasons = implausibleReasons(
        {
          type: record.type,
          steps: record.steps,
          durationMinutes: record.durationMinutes,
          minutes: record.minutes,
          cheatDetection: record.cheatDetection,
        },
        this.config.points.plausibility,
      );
      if (!previous) {
        const row = {
          id: sourceId(userId, record.provider, externalId),
          userId,
          connectionId: context.connections.get(record.provider)?.id ?? null,
          provider: record.provider,
          externalId,
          ...figures,
          day,
          multiplierPct: Math.round(multiplierFor(context.tierCode) * 100),
          reviewStatus: reasons.length ? ('pending' as const) : ('none' as const),
          isWithdrawn: false,
          isDuplicate: false,
          pointsEarned: 0,
          payments: 0,
          processedAt: now,
          createdAt: now,
          updatedAt: now,
        };
        inserts.push(row);
        stored.set(key, row as Activity);
        if (reasons.length) newFlags.push({ activityId: row.id, reasons });
        touchedDays.add(day);
        result.stored++;
        continue;
      }
      if (!previous.isWithdrawn && sameFigures(previous, figures)) {
        result.unchanged++;
        continue;
      }
      // A revision: new figures, the same multiplier; a record never held before is held when it now
      // looks implausible (one that was held stays with its admin's decision).
      const patch: Partial<Activity> = { ...figures, day, isWithdrawn: false, processedAt: now };
      if (reasons.length && previous.reviewStatus === 'none') {
        patch.reviewStatus = 'pending';
        newFlags.push({ activityId: previous.id, reasons });
      }
      touchedDays.add(previous.day);
      touchedDays.add(day);
      Object.assign(previous, patch);
      patches.set(previous.id, { ...patches.get(previous.id), ...patch });
      result.updated++;
    }

    // The touched days as they are now: stored rows, with this batch's new and revised rows in their place.
    const otherDays = [...touchedDays].filter((day) => !arrivingDays.has(day));
    const dayRows = new Map(
      [...read, ...(otherDays.length ? await this.activities.findByDays(userId, otherDays) : [])]
        .filter((row) => touchedDays.has(row.day))
        .map((row) => [row.id, row]),
    );
    for (const row of stored.values()) {
      if (touchedDays.has(row.day)) dayRows.set(row.id, row);
      else dayRows.delete(row.id);
    }
    return {
      inserts,
      patches,
      newFlags,
      plan: this.planDays([...dayRows.values()], touchedDays, context),
    };
  }

  private async contextOf(userId: string): Promise<UserContext> {
    const { connections, ...owner } = await this.activities.ownerWithConnections(userId);
    const zones: DayZones = {
      profileTimeZone: owner.timeZone,
      competitionTimeZone: this.config.competitionTimeZone,
    };
    return {
      zones,
      tierCode: owner.tierCode,
      connections: new Map(connections.map((c) => [c.provider, c])),
      primary: connections.find((c) => c.isPrimary)?.provider ?? null,
      connectedOn: new Map(connections.map((c) => [c.provider, userDay(c.createdAt, zones)])),
    };
  }

  /**
   * Marks duplicates, then recomputes each open day of `days` from all of `rows` (the days' records): the
   * postings of what changed, in order, with the row each pays, and the rows whose duplicate mark changed
   * (in memory: `settle` applies what was posted, the caller stores the rows).
   */
  private planDays(rows: Activity[], days: Set<string>, context: UserContext): DayPlan {
    const today = calendarDateIn(this.clock.now(), this.config.competitionTimeZone);
    const plan: DayPlan = { postings: [], paying: [], changed: new Set() };
    for (const day of [...days].sort()) {
      if (!dayIsOpen(day, today, this.config.points.revisionDays)) continue;
      const dayRows = rows.filter((row) => row.day === day);
      for (const row of dayRows) {
        const duplicate = isDuplicate(row, dayRows, context.primary);
        if (duplicate !== Boolean(row.isDuplicate)) {
          row.isDuplicate = duplicate;
          plan.changed.add(row);
        }
      }
      const pay = payDay(dayRows.map((row) => toDayRecord(row, context)));
      const payments = paymentsFor(pay, new Map(dayRows.map((row) => [row.id, row.pointsEarned])));
      const byId = new Map(dayRows.map((row) => [row.id, row]));
      for (const payment of payments) {
        const row = byId.get(payment.recordId)!;
        row.payments += 1;
        const what = `${WHAT[row.activityType]} on ${day}`;
        plan.paying.push(row);
        plan.postings.push({
          type: payment.type,
          amount: payment.amount,
          reference: { type: 'activity', id: row.id },
          description: payment.note === DAILY_CAP_NOTE ? `${what}: ${DAILY_CAP_NOTE}` : what,
          idempotencyKey: `activity:${row.id}:${row.payments}`,
          earnedOn: day,
          // The user may have spent what a correction takes back: take what is left, never below 0.
          clampToBalance: payment.amount < 0,
        });
      }
    }
    return plan;
  }
}

/** What planDays decided: every day's differences, posted in one postMany. */
interface DayPlan {
  postings: Posting[];
  /** The row each posting pays, in the same order. */
  paying: Activity[];
  changed: Set<Activity>;
}

/** What stage() prepared for the writes after paying. */
interface Staged {
  inserts: Partial<Activity>[];
  patches: Map<string, Partial<Activity>>;
  newFlags: { activityId: string; reasons: { code: string; detail: string }[] }[];
  plan: DayPlan;
}

/** Applies what was posted to the paid rows: the net points and every row whose pay state changed. */
function settle(plan: DayPlan, posted: PostResult[]): { paid: number; changed: Activity[] } {
  let paid = 0;
  posted.forEach(({ entry }, i) => {
    const amount = entry?.amount ?? 0;
    plan.paying[i].pointsEarned += amount;
    paid += amount;
    plan.changed.add(plan.paying[i]);
  });
  return { paid, changed: [...plan.changed] };
}

/** The columns paying a day changes. */
const payState = (row: Activity): Partial<Activity> => ({
  pointsEarned: row.pointsEarned,
  payments: row.payments,
  isDuplicate: row.isDuplicate,
});

interface UserContext {
  zones: DayZones;
  tierCode: string | null;
  connections: Map<Provider, ConnectionFacts>;
  /** The provider of the user's primary tracker, if one is primary. */
  primary: Provider | null;
  /** The day each provider was connected, in the user's zone. */
  connectedOn: Map<Provider, string>;
}

/**
 * A record's id, derived from its natural key (user, provider, external id) as a name-based UUID: the
 * same tracker data gets the same id on every database and every seed run. The unique key still guards.
 */
function sourceId(userId: string, provider: string, externalId: string): string {
  const hex = createHash('sha256').update(`${userId}|${provider}|${externalId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function externalIdOf(record: NormalisedRecord): string {
  if (record.externalId) return record.externalId;
  if (record.type !== 'workout' && record.localDate) return `daily:${record.localDate}:${record.type}`;
  throw new UnprocessableError('A workout needs its external id; a day total its external id or local date');
}

/** The stored columns a delivery sets; the figures the engine pays by go into `metrics`. */
function figuresOf(record: NormalisedRecord): Figures {
  const minutes = record.minutes ?? {};
  const metrics: ActivityMetrics = { ...record.metrics };
  if (record.steps !== undefined) metrics.steps = record.steps;
  if (record.type !== 'workout') {
    metrics.light_minutes = minutes.light ?? 0;
    metrics.moderate_minutes = minutes.moderate ?? 0;
    metrics.vigorous_minutes = minutes.vigorous ?? 0;
    metrics.active_minutes = metrics.light_minutes + metrics.moderate_minutes + metrics.vigorous_minutes;
  }
  if (record.cheatDetection !== undefined && record.cheatDetection !== null) {
    metrics.cheat_detection = record.cheatDetection;
  }
  const duration =
    record.durationMinutes ?? Math.round((record.endTime.getTime() - record.startTime.getTime()) / 60_000);
  return {
    activityType: record.type,
    startTime: record.startTime,
    endTime: record.endTime,
    durationMinutes: Math.max(0, Math.floor(duration)),
    intensity: record.type === 'workout' ? (record.intensity ?? null) : null,
    metrics,
    localDate: record.localDate ?? null,
    utcOffsetMinutes: record.utcOffsetMinutes ?? null,
    uploadSource: record.uploadType === 'manual' ? 'manual' : 'automatic',
  };
}

function sameFigures(row: Activity, figures: Figures): boolean {
  return (
    row.activityType === figures.activityType &&
    new Date(row.startTime).getTime() === figures.startTime.getTime() &&
    new Date(row.endTime).getTime() === figures.endTime.getTime() &&
    row.durationMinutes === figures.durationMinutes &&
    (row.intensity ?? null) === figures.intensity &&
    (row.localDate ?? null) === figures.localDate &&
    (row.utcOffsetMinutes ?? null) === figures.utcOffsetMinutes &&
    row.uploadSource === figures.uploadSource &&
    canonical(row.metrics) === canonical(figures.metrics)
  );
}

/** JSON with sorted keys: databases may return a JSON document's keys in another order. */
const canonical = (value: object): string =>
  JSON.stringify(
    Object.fromEntries(Object.entries(value ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );

/**
 * A non-primary tracker's record is a duplicate while a primary tracker's record of the same type
 * overlaps it in time (same day). A user without a primary tracker has no duplicates.
 */
function isDuplicate(row: Activity, dayRows: Activity[], primary: Provider | null): boolean {
  if (!primary || row.provider === primary || row.isWithdrawn) return false;
  const start = new Date(row.startTime).getTime();
  const end = new Date(row.endTime).getTime();
  return dayRows.some(
    (other) =>
      other.provider === primary &&
      !other.isWithdrawn &&
      other.activityType === row.activityType &&
      new Date(other.startTime).getTime() < end &&
      start < new Date(other.endTime).getTime(),
  );
}

function toDayRecord(row: Activity, context: UserContext): DayRecord {
  const metrics = row.metrics ?? {};
  return {
    id: row.id,
    type: row.activityType,
    startTime: new Date(row.startTime),
    durationMinutes: row.durationMinutes,
    intensity: row.intensity,
    steps: Number(metrics.steps ?? 0),
    minutes: {
      light: Number(metrics.light_minutes ?? 0),
      moderate: Number(metrics.moderate_minutes ?? 0),
      vigorous: Number(metrics.vigorous_minutes ?? 0),
    },
    multiplier: row.multiplierPct / 100,
    noPay: noPayReason({
      day: row.day,
      connectedOn: context.connectedOn.get(row.provider) ?? null,
      manual: row.uploadSource === 'manual',
      review: row.reviewStatus,
      duplicate: Boolean(row.isDuplicate),
      withdrawn: Boolean(row.isWithdrawn),
    }),
  };
}
