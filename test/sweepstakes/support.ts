import { randomUUID } from 'node:crypto';
import { LedgerService } from '@fittrack/points';
import { type User, UsersRepository } from '@fittrack/users';
import type { ApiClient } from '../support/api-client';
import type { TestApp } from '../support/test-app';
import { createUser, dataSource } from '../api/fixtures';

/** A drawing body around the test clock: open for an hour from now, drawn 5 minutes after sales close. */
export function drawingBody(t: TestApp, overrides: Record<string, unknown> = {}) {
  const now = t.clock.now().getTime();
  return {
    drawing_type: 'daily',
    name: `Drawing ${randomUUID().slice(0, 8)}`,
    ticket_cost_points: 100,
    opens_at: new Date(now - 60_000).toISOString(),
    ticket_sales_close: new Date(now + 3_600_000).toISOString(),
    drawing_time: new Date(now + 3_900_000).toISOString(),
    prizes: [
      {
        rank: 1,
        name: '$50 Amazon Gift Card',
        value_usd: 50,
        fulfillment_type: 'digital',
        digital_code: 'GIFT-1',
      },
    ],
    eligibility: { user_type: 'all', min_account_age_days: 0 },
    ...overrides,
  };
}

/** Creates a drawing and moves it to `status` through the admin API (draft → scheduled → open). */
export async function createDrawing(
  t: TestApp,
  admin: ApiClient,
  status: 'draft' | 'scheduled' | 'open' = 'open',
  overrides: Record<string, unknown> = {},
): Promise<{ id: string } & Record<string, unknown>> {
  let body = (await admin.post('/admin/drawings').send(drawingBody(t, overrides)).expect(201)).body;
  for (const next of ['scheduled', 'open'] as const) {
    if (body.status === status) break;
    body = (await admin.put(`/admin/drawings/${body.id}`).send({ status: next }).expect(200)).body;
  }
  return body;
}

/** A member with `points` earned through the ledger (and an account `ageDays` old). */
export async function memberWithPoints(t: TestApp, points: number, ageDays = 30): Promise<User> {
  const user = await createUser(t, { role: 'user' });
  const createdAt = new Date(t.clock.now().getTime() - ageDays * 86_400_000);
  await dataSource(t).getRepository('User').update({ id: user.id }, { createdAt });
  if (points > 0) {
    await t.app.get(LedgerService).post({
      userId: user.id,
      type: 'earn',
      amount: points,
      reference: { type: 'activity', id: randomUUID() },
      description: 'fixture award',
      idempotencyKey: `fixture:${randomUUID()}`,
      earnedOn: t.clock.now().toISOString().slice(0, 10),
    });
  }
  return (await t.app.get(UsersRepository).get(user.id))!;
}
