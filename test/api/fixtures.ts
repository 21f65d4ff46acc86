import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hash } from 'bcrypt';
import { type Profile, type User, UsersRepository } from '@fittrack/users';
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
