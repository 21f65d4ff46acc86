import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hash } from 'bcrypt';
import { calendarDateIn } from '@fittrack/core';
import { LedgerService, type PointTransaction } from '@fittrack/points';
import { Activity } from '@fittrack/trackers';
import type { Profile, User } from '@fittrack/users';
import { UsersRepository } from '@fittrack/users';
import type { TestApp } from '../support/test-app';

export const FIXTURE_PASSWORD = 'Fixture-Passw0rd!';
let passwordHash: Promise<string> | undefined;

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomUUID()}@example.com`;

/** A user with profile, inserted through the repository (not the API under test). */
export async function createUser(
  t: TestApp,
  user: Partial<User> = {},
  profile: Partial<Profile> = {},
): Promise<User> {
  passwordHash ??= hash(FIXTURE_PASSWORD, 4);
  return t.app.get(UsersRepository).createWithProfile(
    {
      email: uniqueEmail(),
      passwordHash: await passwordHash,
      role: 'user',
      status: 'active',
      emailVerified: true,
      ...user,
    },
    {
      displayName: 'Fixture',
      dateOfBirth: '1990-06-15',
      state: 'TX',
      biologicalSex: 'female',
      fitnessLevel: 'intermediate',
      tierCode: 'F-30-39-INT',
      ...profile,
    },
  );
}

export const dataSource = (t: TestApp) => t.app.get(DataSource);

/** An activity row for `user`, for list and filter tests (the engine's own tests ingest through it). */
export async function createActivity(
  t: TestApp,
  user: User,
  activity: Partial<Activity> = {},
): Promise<Activity> {
  const start = activity.startTime ?? new Date('2026-01-16T15:00:00Z');
  return dataSource(t)
    .getRepository(Activity)
    .save(
      dataSource(t)
        .getRepository(Activity)
        .create({
          userId: user.id,
          provider: 'fitbit',
          externalId: `ext-${randomUUID()}`,
          activityType: 'workout',
          startTime: start,
          endTime: new Date(start.getTime() + 30 * 60_000),
          durationMinutes: 30,
          intensity: 'vigorous',
          metrics: { calories: 300, avg_heart_rate: 140 },
          // Listing fixtures: points are paid by the engine (test/points), never computed here.
          pointsEarned: 0,
          ...activity,
        }),
    );
}

/**
 * Posts ledger entries for `user` through LedgerService (the ledger's one writer), so sequence,
 * balance_after and the balance follow its rules. Earning entries count for the day of `createdAt`
 * (default: the clock's) in the competition time zone.
 */
export async function addLedger(
  t: TestApp,
  user: User,
  entries: Array<Partial<PointTransaction> & { amount: number }>,
): Promise<PointTransaction[]> {
  const ledger = t.app.get(LedgerService);
  const rows: PointTransaction[] = [];
  for (const entry of entries) {
    const type = entry.transactionType ?? 'earn';
    const referenceType = entry.referenceType ?? (type === 'earn' ? 'activity' : null);
    const { entry: posted } = await ledger.post({
      userId: user.id,
      type,
      amount: entry.amount,
      reference: referenceType ? { type: referenceType, id: entry.referenceId ?? randomUUID() } : null,
      description: entry.description ?? 'fixture',
      idempotencyKey: `fixture:${randomUUID()}`,
      earnedOn: calendarDateIn(entry.createdAt ?? t.clock.now(), 'America/New_York'),
    });
    rows.push(posted!);
  }
  return rows;
}
