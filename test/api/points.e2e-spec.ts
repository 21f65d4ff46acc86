import { LedgerService } from '@fittrack/points';
import type { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin, asUser } from '../support/api-client';
import { daily, engineUser, expectLedgerInvariant, ingest } from '../points/engine';

type Row = { id: string; user_id: string; transaction_type: string; amount: number; balance_after: number };

describe('points API', () => {
  let t: TestApp;
  let admin: ApiClient;
  let user: User;
  let other: User;

  beforeAll(async () => {
    // 10:00 in New York on Jan 16.
    t = await createTestApp({ now: '2026-01-16T15:00:00Z' });
    admin = await asAdmin(t);
    user = await engineUser(t);
    other = await engineUser(t);
    // Paid by the engine (10 points per 1,000 steps, moderate minutes 2 each at INT), not by hand.
    await ingest(t, [daily(user, '2026-01-15', { steps: 30_000 })]); // 300, yesterday in New York
    await ingest(t, [daily(user, '2026-01-16', { steps: 12_000 })]); // 120
    await t.app.get(LedgerService).post({
      userId: user.id,
      type: 'spend',
      amount: -100,
      reference: { type: 'ticket_purchase', id: user.id },
      description: 'Tickets',
      idempotencyKey: `test:spend:${user.id}`,
    });
    await ingest(t, [daily(user, '2026-01-16', { steps: 10_000 })]); // revised down: adjust −20
    await ingest(t, [daily(user, '2026-01-16', { minutes: { moderate: 25 } })]); // 50
    await ingest(t, [daily(other, '2026-01-16', { steps: 7500 })]); // 75
  });
  afterAll(async () => {
    for (const each of [user, other]) await expectLedgerInvariant(t, each);
    await t.close();
  });

  it('lists a user’s ledger newest first, filterable by type', async () => {
    const res = await admin.get(`/points/transactions?filter[user_id]=${user.id}`).expect(200);
    expect(res.body.data.map((row: Row) => row.amount)).toEqual([50, -20, -100, 120, 300]);
    expect(res.body.data[0]).toMatchObject({
      user_id: user.id,
      transaction_type: 'earn',
      balance_after: 350,
    });
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total: 5, total_pages: 1 });
    const spends = await admin
      .get(`/points/transactions?filter[user_id]=${user.id}&filter[transaction_type]=spend`)
      .expect(200);
    expect(spends.body.data.map((row: Row) => row.amount)).toEqual([-100]);
  });

  it('a user sees only their own ledger and may not ask for another’s', async () => {
    const client = asUser(t, user);
    const res = await client.get('/points/transactions?per_page=100').expect(200);
    expect(res.body.data.every((row: Row) => row.user_id === user.id)).toBe(true);
    expect(res.body.meta.total).toBe(5);
    const denied = await client.get(`/points/transactions?filter[user_id]=${other.id}`).expect(403);
    expect(denied.body.detail).toBe('Insufficient permissions');
  });

  it('balance: today_earned counts today’s earning in the competition time zone, not spending', async () => {
    const res = await asUser(t, user).get('/points/balance').expect(200);
    // 120 + 50 earned today, −20 activity adjustment; the 300 was yesterday in New York; spending does not
    // count, and an activity's adjustment lowers lifetime earnings too.
    expect(res.body).toEqual({
      point_balance: 350,
      total_points_earned: 450,
      today_earned: 150,
      daily_cap: 1000,
    });
  });

  it('an admin reads anyone’s balance with user_id; a user cannot', async () => {
    const res = await admin.get(`/points/balance?user_id=${other.id}`).expect(200);
    expect(res.body).toMatchObject({ point_balance: 75, today_earned: 75 });
    await asUser(t, user).get(`/points/balance?user_id=${other.id}`).expect(403);
  });

  it('rejects unknown types, filters and sorts', async () => {
    await admin.get('/points/transactions?filter[transaction_type]=steal').expect(422);
    await admin.get('/points/transactions?filter[amount]=5').expect(422);
    await admin.get('/points/transactions?sort=balance_after').expect(422);
    await admin.get('/points/transactions?filter[user_id]=not-a-uuid').expect(422);
  });
});
