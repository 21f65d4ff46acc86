import { randomUUID } from 'node:crypto';
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
