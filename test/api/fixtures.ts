import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hash } from 'bcrypt';
import { PointTransaction } from '@fittrack/points';
import { Activity } from '@fittrack/trackers';
import { type Profile, User, UsersRepository } from '@fittrack/users';
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

let sequence = 0;

/** An activity row for `user`, as a sync would have stored it. */
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
          pointsEarned: 90,
          ...activity,
        }),
    );
}

/**
 * Appends ledger rows for `user` and keeps the balance consistent (balance = sum = latest balance_after),
 * as the points engine does. Rows are 1 ms apart so "latest" is unambiguous.
 */
export async function addLedger(
  t: TestApp,
  user: User,
  entries: Array<Partial<PointTransaction> & { amount: number }>,
): Promise<PointTransaction[]> {
  const ledger = dataSource(t).getRepository(PointTransaction);
  const users = dataSource(t).getRepository(User);
  const fresh = await users.findOneByOrFail({ id: user.id });
  let balance = fresh.pointBalance;
  let earned = fresh.totalPointsEarned;
  const rows: PointTransaction[] = [];
  for (const entry of entries) {
    balance += entry.amount;
    if (entry.amount > 0 && (entry.transactionType ?? 'earn') === 'earn') earned += entry.amount;
    rows.push(
      await ledger.save(
        ledger.create({
          userId: user.id,
          transactionType: 'earn',
          balanceAfter: balance,
          description: 'fixture',
          idempotencyKey: `fixture:${randomUUID()}`,
          createdAt: new Date(Date.now() + sequence++),
          ...entry,
        }),
      ),
    );
  }
  await users.update({ id: user.id }, { pointBalance: balance, totalPointsEarned: earned });
  return rows;
}
