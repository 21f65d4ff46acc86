import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PointTransaction } from '@fittrack/points';
import { Activity, IngestionService, type NormalisedRecord, TrackerConnection } from '@fittrack/trackers';
import { type Profile, type User, User as UserEntity } from '@fittrack/users';
import { createUser } from '../api/fixtures';
import type { TestApp } from '../support/test-app';

type Provider = NormalisedRecord['provider'];

/** A user with a profile in `tier` and one connection per provider (the first primary), connected at `connectedAt`. */
export async function engineUser(
  t: TestApp,
  options: {
    tier?: string | null;
    providers?: Provider[];
    connectedAt?: Date;
    profile?: Partial<Profile>;
  } = {},
): Promise<User> {
  const user = await createUser(
    t,
    {},
    { tierCode: options.tier === undefined ? 'F-30-39-INT' : options.tier, ...options.profile },
  );
  const providers = options.providers ?? ['fitbit'];
  const at = options.connectedAt ?? new Date('2026-01-01T12:00:00Z');
  await t.app
    .get(DataSource)
    .createQueryBuilder()
    .insert()
    .into(TrackerConnection)
    .values(
      providers.map((provider, index) => ({
        id: randomUUID(),
        userId: user.id,
        provider,
        isPrimary: index === 0,
        syncStatus: 'ok' as const,
        createdAt: at,
        updatedAt: at,
      })),
    )
    .execute();
  return user;
}

/** A workout starting at `start` (ISO, UTC) for `minutes` minutes. */
export function workout(
  user: User,
  start: string,
  minutes: number,
  extra: Partial<NormalisedRecord> = {},
): NormalisedRecord {
  const startTime = new Date(start);
  return {
    userId: user.id,
    provider: 'fitbit',
    type: 'workout',
    externalId: `wk-${randomUUID()}`,
    startTime,
    endTime: new Date(startTime.getTime() + minutes * 60_000),
    durationMinutes: minutes,
    intensity: 'vigorous',
    uploadType: 'automatic',
    ...extra,
  };
}

/** A day total (Terra daily) for `localDate` in New York: steps, or minutes per intensity. */
export function daily(
  user: User,
  localDate: string,
  figures: { steps?: number; minutes?: NormalisedRecord['minutes'] },
  extra: Partial<NormalisedRecord> = {},
): NormalisedRecord {
  const type = figures.steps !== undefined ? 'steps' : 'active_minutes';
  return {
    userId: user.id,
    provider: 'fitbit',
    type,
    localDate,
    // Midnight to midnight in New York (EST in the days these tests use: the exact hour does not matter).
    startTime: new Date(`${localDate}T05:00:00Z`),
    endTime: new Date(new Date(`${localDate}T05:00:00Z`).getTime() + 86_400_000),
    steps: figures.steps,
    minutes: figures.minutes,
    uploadType: 'automatic',
    ...extra,
  };
}

export const ingest = (t: TestApp, records: NormalisedRecord[]) =>
  t.app.get(IngestionService).ingest(records);

export async function ledgerOf(t: TestApp, user: User): Promise<PointTransaction[]> {
  return t.app
    .get(DataSource)
    .getRepository(PointTransaction)
    .find({ where: { userId: user.id }, order: { sequence: 'ASC' } });
}

export async function activityOf(t: TestApp, id: string): Promise<Activity> {
  return t.app.get(DataSource).getRepository(Activity).findOneByOrFail({ id });
}

export async function activitiesOf(t: TestApp, user: User): Promise<Activity[]> {
  return t.app
    .get(DataSource)
    .getRepository(Activity)
    .find({ where: { userId: user.id }, order: { startTime: 'ASC' } });
}

export async function balanceOf(t: TestApp, user: User): Promise<number> {
  return (await t.app.get(DataSource).getRepository(UserEntity).findOneByOrFail({ id: user.id }))
    .pointBalance;
}

/** What a day's records have been paid in all. */
export async function dayTotal(t: TestApp, user: User, day: string): Promise<number> {
  return (await activitiesOf(t, user))
    .filter((a) => a.day === day)
    .reduce((sum, a) => sum + a.pointsEarned, 0);
}

/** The ledger invariant (domain-rules, Ledger): balance = sum of amounts = last balance_after, sequence 1..n. */
export async function expectLedgerInvariant(t: TestApp, user: User): Promise<void> {
  const entries = await ledgerOf(t, user);
  const balance = await balanceOf(t, user);
  const sum = entries.reduce((total, entry) => total + entry.amount, 0);
  if (sum !== balance) throw new Error(`balance ${balance} but the amounts sum to ${sum}`);
  if ((entries.at(-1)?.balanceAfter ?? 0) !== balance)
    throw new Error('last balance_after is not the balance');
  entries.forEach((entry, index) => {
    if (entry.sequence !== index + 1) throw new Error(`sequence ${entry.sequence} at position ${index + 1}`);
  });
  // Every record's points_earned is what its ledger entries add up to.
  const byActivity = new Map<string, number>();
  for (const entry of entries) {
    if (entry.referenceType === 'activity') {
      byActivity.set(entry.referenceId!, (byActivity.get(entry.referenceId!) ?? 0) + entry.amount);
    }
  }
  for (const activity of await activitiesOf(t, user)) {
    const paid = byActivity.get(activity.id) ?? 0;
    if (paid !== activity.pointsEarned) {
      throw new Error(
        `activity ${activity.id} has points_earned ${activity.pointsEarned}, its entries ${paid}`,
      );
    }
  }
}
