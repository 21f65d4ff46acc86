import { PointTransaction } from '@fittrack/points';
import { Drawing, Ticket } from '@fittrack/sweepstakes';
import { User } from '@fittrack/users';
import { type ApiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints } from './support';

/** Checkpoint 5, Feature: Ticket Purchase (and the free alternate method of entry). */
describe('tickets', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const balanceOf = async (id: string) =>
    (await dataSource(t).getRepository(User).findOneByOrFail({ id })).pointBalance;
  const ticketsOf = (drawingId: string) =>
    dataSource(t)
      .getRepository(Ticket)
      .find({ where: { drawingId }, order: { ticketNumber: 'ASC' } });

  it('a user with 1000 points buys 5 tickets: 201, 5 tickets, a -500 spend, balance 500, total +5', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 1000);
    const res = await asUser(t, user)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 5 })
      .expect(201);
    expect(res.body).toMatchObject({
      points_spent: 500,
      point_balance: 500,
      my_tickets: 5,
      odds: '1 in 1',
      replayed: false,
    });
    expect(res.body.tickets.map((ticket: { ticket_number: number }) => ticket.ticket_number)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(await ticketsOf(drawing.id)).toHaveLength(5);
    const spends = await dataSource(t)
      .getRepository(PointTransaction)
      .findBy({ userId: user.id, transactionType: 'spend' });
    expect(spends.map((spend) => [spend.amount, spend.referenceType, spend.referenceId])).toEqual([
      [-500, 'ticket_purchase', drawing.id],
    ]);
    expect(await balanceOf(user.id)).toBe(500);
    expect(
      (await dataSource(t).getRepository(Drawing).findOneByOrFail({ id: drawing.id })).totalTickets,
    ).toBe(5);
  });

  it('insufficient points: 409, no ticket, balance unchanged', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 50);
    const res = await asUser(t, user)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 1 })
      .expect(409);
    expect(res.body.detail).toBe('Insufficient points');
    expect(await ticketsOf(drawing.id)).toHaveLength(0);
    expect(await balanceOf(user.id)).toBe(50);
  });

  it('a drawing that is not open (scheduled, closed, past sales close) refuses: 403 Ticket sales closed', async () => {
    const user = await memberWithPoints(t, 1000);
    const scheduled = await createDrawing(t, admin, 'scheduled');
    const res = await asUser(t, user)
      .post(`/drawings/${scheduled.id}/tickets`)
      .send({ quantity: 1 })
      .expect(403);
    expect(res.body.detail).toBe('Ticket sales closed');
    const open = await createDrawing(t, admin);
    await admin.put(`/admin/drawings/${open.id}`).send({ status: 'closed' }).expect(200);
    const closed = await asUser(t, user)
      .post(`/drawings/${open.id}/tickets`)
      .send({ quantity: 1 })
      .expect(403);
    expect(closed.body.detail).toBe('Ticket sales closed');
    await asUser(t, user).post(`/drawings/${open.id}/free-entry`).expect(403);
    expect(await balanceOf(user.id)).toBe(1000);
  });

  it('odds: 1000 tickets sold and none mine → 1 in 1001 if I buy one; after buying 10 → 1 in 101', async () => {
    const drawing = await createDrawing(t, admin, 'open', { ticket_cost_points: 1 });
    const others = await memberWithPoints(t, 1000);
    const first = await asUser(t, others)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 100 })
      .expect(201);
    expect(first.body).toMatchObject({ my_tickets: 100, odds: '1 in 1', odds_if_buy_one: '1 in 1' });
    let last = first;
    for (let i = 0; i < 9; i++) {
      last = await asUser(t, others)
        .post(`/drawings/${drawing.id}/tickets`)
        .send({ quantity: 100 })
        .expect(201);
    }
    // A buyer's count covers their earlier purchases in the drawing, not only this one.
    expect(last.body).toMatchObject({ my_tickets: 1000, odds: '1 in 1' });
    const me = await memberWithPoints(t, 100);
    const before = await asUser(t, me).get(`/drawings/${drawing.id}`).expect(200);
    expect(before.body).toMatchObject({
      total_tickets: 1000,
      my_tickets: 0,
      odds: null,
      odds_if_buy_one: '1 in 1001',
    });
    const bought = await asUser(t, me)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 10 })
      .expect(201);
    expect(bought.body).toMatchObject({ my_tickets: 10, odds: '1 in 101' });
    const after = await asUser(t, me).get(`/drawings/${drawing.id}`).expect(200);
    expect(after.body).toMatchObject({ total_tickets: 1010, my_tickets: 10, odds: '1 in 101' });
  });

  it('Idempotency-Key: a retried purchase returns the first result and spends nothing more', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 1000);
    const buy = () =>
      asUser(t, user)
        .post(`/drawings/${drawing.id}/tickets`)
        .set('Idempotency-Key', 'retry-1')
        .send({ quantity: 2 });
    const first = (await buy().expect(201)).body;
    const second = (await buy().expect(201)).body;
    expect(second.tickets).toEqual(first.tickets);
    expect(second).toMatchObject({ points_spent: 200, point_balance: 800, replayed: true });
    expect(await balanceOf(user.id)).toBe(800);
    expect(await ticketsOf(drawing.id)).toHaveLength(2);
    await asUser(t, user)
      .post(`/drawings/${drawing.id}/tickets`)
      .set('Idempotency-Key', 'bad key with spaces')
      .send({ quantity: 1 })
      .expect(422);
  });

  it('staff cannot enter: an admin buying or taking a free entry is 403', async () => {
    const drawing = await createDrawing(t, admin);
    const res = await admin.post(`/drawings/${drawing.id}/tickets`).send({ quantity: 1 }).expect(403);
    expect(res.body.detail).toBe('Staff cannot enter drawings');
    expect((await admin.post(`/drawings/${drawing.id}/free-entry`).expect(403)).body.detail).toBe(
      'Staff cannot enter drawings',
    );
  });

  it('eligibility is checked server-side: account age and premium drawings', async () => {
    const young = await createDrawing(t, admin, 'open', {
      eligibility: { user_type: 'all', min_account_age_days: 7 },
    });
    const newcomer = await memberWithPoints(t, 1000, 2);
    const res = await asUser(t, newcomer)
      .post(`/drawings/${young.id}/tickets`)
      .send({ quantity: 1 })
      .expect(403);
    expect(res.body.detail).toBe('Not eligible for this drawing');
    await asUser(t, await memberWithPoints(t, 1000, 8))
      .post(`/drawings/${young.id}/tickets`)
      .send({ quantity: 1 })
      .expect(201);
    const premium = await createDrawing(t, admin, 'open', {
      eligibility: { user_type: 'premium', min_account_age_days: 0 },
    });
    await asUser(t, newcomer).post(`/drawings/${premium.id}/free-entry`).expect(403);
  });

  it('free entry: one ticket at 0 points with the same odds, once per user per drawing', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 0);
    const res = await asUser(t, user).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    expect(res.body).toMatchObject({
      ticket: { ticket_number: 1, is_free: true },
      my_tickets: 1,
      odds: '1 in 1',
    });
    const again = await asUser(t, user).post(`/drawings/${drawing.id}/free-entry`).expect(409);
    expect(again.body.detail).toBe('Free entry already used for this drawing');
    expect(await ticketsOf(drawing.id)).toHaveLength(1);
    expect(await balanceOf(user.id)).toBe(0);
    const mine = await asUser(t, user).get('/tickets').expect(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({
        drawing_id: drawing.id,
        is_free: true,
        drawing_status: 'open',
        is_winner: false,
      }),
    ]);
  });

  it("a purchase's odds count the buyer's free entry and other buyers' tickets", async () => {
    const drawing = await createDrawing(t, admin);
    const other = await memberWithPoints(t, 1000);
    await asUser(t, other).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 7 }).expect(201);
    const user = await memberWithPoints(t, 300);
    const free = await asUser(t, user).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    expect(free.body).toMatchObject({ ticket: { ticket_number: 8 }, my_tickets: 1, odds: '1 in 8' });
    const bought = await asUser(t, user)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 3 })
      .expect(201);
    // 4 of 11 tickets: 1 in ceil(11 / 4) = 3; one more: 1 in ceil(12 / 5) = 3.
    expect(bought.body).toMatchObject({ my_tickets: 4, odds: '1 in 3', odds_if_buy_one: '1 in 3' });
    expect(bought.body.tickets.map((ticket: { ticket_number: number }) => ticket.ticket_number)).toEqual([
      9, 10, 11,
    ]);
    const again = await asUser(t, other)
      .post(`/drawings/${drawing.id}/tickets`)
      .send({ quantity: 1 })
      .expect(201);
    expect(again.body).toMatchObject({ my_tickets: 8, odds: '1 in 2' });
  });

  it('quantity must be 1..100', async () => {
    const drawing = await createDrawing(t, admin);
    const user = await memberWithPoints(t, 100);
    await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 0 }).expect(422);
    await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 101 }).expect(422);
  });
});
