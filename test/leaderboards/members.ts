import { randomUUID } from 'node:crypto';
import { calendarDateIn } from '@fittrack/core';
import { LedgerService } from '@fittrack/points';
import {
  type BiologicalSex,
  type FitnessLevel,
  tierCodeOn,
  type User,
  UsersRepository,
} from '@fittrack/users';
import { type ApiClient, asUser } from '../support/api-client';
import type { TestApp } from '../support/test-app';

export interface Member {
  user: User;
  client: ApiClient;
  name: string;
}

export interface MemberOptions {
  sex?: BiologicalSex | null;
  dateOfBirth?: string;
  fitness?: FitnessLevel | null;
  open?: boolean;
  name?: string;
}

/** An active user with a profile (tier computed as the app would on the test clock's day) and a client. */
export async function createMember(t: TestApp, options: MemberOptions = {}): Promise<Member> {
  const name = options.name ?? `Member ${randomUUID().slice(0, 8)}`;
  const profile = {
    displayName: name,
    dateOfBirth: options.dateOfBirth ?? '1990-05-15',
    state: 'TX',
    biologicalSex: options.sex === undefined ? 'male' : options.sex,
    fitnessLevel: options.fitness === undefined ? 'intermediate' : options.fitness,
    openTierOptIn: options.open ?? false,
  } as const;
  const today = calendarDateIn(t.clock.now(), 'America/New_York');
  const user = await t.app.get(UsersRepository).createWithProfile(
    {
      email: `lb-${randomUUID()}@example.com`,
      passwordHash: '!',
      role: 'user',
      status: 'active',
      emailVerified: true,
    },
    { ...profile, tierCode: tierCodeOn(profile, today) },
  );
  return { user, client: asUser(t, user), name };
}

/** Posts an earning entry through the ledger (an activity award, or a negative activity correction). */
export async function earn(t: TestApp, user: Pick<User, 'id'>, amount: number, earnedOn: string) {
  return t.app.get(LedgerService).post({
    userId: user.id,
    type: amount > 0 ? 'earn' : 'adjust',
    amount,
    reference: { type: 'activity', id: randomUUID() },
    description: 'Test activity',
    idempotencyKey: `lb-test:${randomUUID()}`,
    earnedOn,
    clampToBalance: amount < 0,
  });
}

/** Spends points (tickets): never on a board. */
export async function spend(t: TestApp, user: Pick<User, 'id'>, amount: number) {
  return t.app.get(LedgerService).post({
    userId: user.id,
    type: 'spend',
    amount: -amount,
    reference: null,
    description: 'Tickets',
    idempotencyKey: `lb-test:${randomUUID()}`,
  });
}
