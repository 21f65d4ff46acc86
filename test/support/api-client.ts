import { randomUUID } from 'node:crypto';
import { hash } from 'bcrypt';
import type { Test } from 'supertest';
import { TokenService } from '@fittrack/auth';
import { type User, UsersRepository } from '@fittrack/users';
import type { TestApp } from './test-app';

/** Adds credentials to a request. */
export type Authorize = (request: Test) => Test;

export interface ApiClient {
  get: (path: string) => Test;
  post: (path: string) => Test;
  put: (path: string) => Test;
  delete: (path: string) => Test;
}

/** Requests to `/api/v1{path}`, each passed through `authorize` (anonymous by default). */
export function apiClient(t: TestApp, authorize: Authorize = (request) => request): ApiClient {
  const url = (path: string) => `/api/v1${path}`;
  return {
    get: (path) => authorize(t.http().get(url(path))),
    post: (path) => authorize(t.http().post(url(path))),
    put: (path) => authorize(t.http().put(url(path))),
    delete: (path) => authorize(t.http().delete(url(path))),
  };
}

/**
 * A client acting as `user`: each request carries a fresh access token (minted at the test clock's time,
 * so moving the clock never leaves a stale token behind).
 */
export function asUser(t: TestApp, user: Pick<User, 'id' | 'email' | 'role'>): ApiClient {
  const tokens = t.app.get(TokenService);
  return apiClient(t, (request) =>
    request.set('Authorization', `Bearer ${tokens.signAccessToken(user).token}`),
  );
}

/** A client acting as a newly created, active admin. */
export async function asAdmin(t: TestApp): Promise<ApiClient> {
  const admin = await t.app.get(UsersRepository).createWithProfile(
    {
      email: `admin-${randomUUID()}@example.com`,
      // Never used to log in: the client signs its own tokens.
      passwordHash: '!',
      role: 'admin',
      status: 'active',
      emailVerified: true,
    },
    { displayName: 'Test Admin', dateOfBirth: '1980-01-01', state: 'TX' },
  );
  return asUser(t, admin);
}

export const TEST_PASSWORD = 'Test-Passw0rd!2026';
let testPasswordHash: Promise<string> | undefined;

export interface UserWithToken {
  user: User;
  token: string;
  refreshToken: string;
  /** Adds this user's bearer token to a request. */
  auth: Authorize;
  client: ApiClient;
}

/**
 * Inserts an active, verified user (password `TEST_PASSWORD`) through the repository and logs in through
 * POST /auth/login, so the token is exactly what a client would get.
 */
export async function createUserWithToken(
  t: TestApp,
  options: { role?: User['role']; email?: string } = {},
): Promise<UserWithToken> {
  testPasswordHash ??= hash(TEST_PASSWORD, 4);
  const user = await t.app.get(UsersRepository).createWithProfile(
    {
      email: options.email ?? `${options.role ?? 'user'}-${randomUUID()}@example.com`,
      passwordHash: await testPasswordHash,
      role: options.role ?? 'user',
      status: 'active',
      emailVerified: true,
    },
    { displayName: 'Test User', dateOfBirth: '1990-01-01', state: 'TX' },
  );
  const res = await t
    .http()
    .post('/api/v1/auth/login')
    .send({ email: user.email, password: TEST_PASSWORD })
    .expect(200);
  const token: string = res.body.access_token;
  const auth: Authorize = (request) => request.set('Authorization', `Bearer ${token}`);
  return { user, token, refreshToken: res.body.refresh_token, auth, client: apiClient(t, auth) };
}
