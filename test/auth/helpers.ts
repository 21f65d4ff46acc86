import { randomUUID } from 'node:crypto';
import { EmailOutboxRepository } from '@fittrack/notifications';
import type { TestApp } from '../support/test-app';

export const STRONG_PASSWORD = 'Correct-Horse-42';
export const uniqueEmail = (prefix = 'auth') => `${prefix}-${randomUUID()}@example.com`;

export const registration = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail('reg'),
  password: STRONG_PASSWORD,
  date_of_birth: '2000-03-15',
  state: 'TX',
  ...overrides,
});

/** The newest outbox email to an address. */
export async function lastEmailTo(t: TestApp, to: string) {
  const page = await t.app
    .get(EmailOutboxRepository)
    .list({ page: 1, per_page: 1, filter: { to: to.toLowerCase() } });
  return page.data[0];
}

/** The token in the newest email's link (`verify_token=` or `reset_token=`). */
export async function tokenFromEmail(t: TestApp, to: string, param: 'verify_token' | 'reset_token') {
  const email = await lastEmailTo(t, to);
  const match = new RegExp(`${param}=([A-Za-z0-9_-]+)`).exec(email?.bodyText ?? '');
  if (!match) throw new Error(`no ${param} in the email to ${to}`);
  return match[1];
}

/** Registers through the API and verifies through the emailed link; returns the email. */
export async function registerVerified(t: TestApp, overrides: Record<string, unknown> = {}) {
  const body = registration(overrides);
  await t.http().post('/api/v1/auth/register').send(body).expect(201);
  const token = await tokenFromEmail(t, body.email as string, 'verify_token');
  await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(200);
  return body as { email: string; password: string };
}

export const login = (t: TestApp, email: string, password = STRONG_PASSWORD) =>
  t.http().post('/api/v1/auth/login').send({ email, password });
