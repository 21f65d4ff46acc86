import { PrizeFulfillment } from '@fittrack/fulfillment';
import { PointTransaction } from '@fittrack/points';
import { SchedulerTicks } from '@fittrack/scheduler';
import { Ticket } from '@fittrack/sweepstakes';
import { User } from '@fittrack/users';
import { type ApiClient, apiClient, asAdmin, asUser } from '../support/api-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { dataSource } from '../api/fixtures';
import { createDrawing, memberWithPoints, recompute } from './support';

describe('the verifiable draw', () => {
  let t: TestApp;
  let admin: ApiClient;
  const anonymous = () => apiClient(t);

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T12:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  const prizes = [
    { rank: 1, name: 'Watch', value_usd: 250, fulfillment_type: 'physical' },
    { rank: 2, name: '$50 Gift Card', value_usd: 50, fulfillment_type: 'digital', digital_code: 'CODE-2' },
    { rank: 3, name: 'Bottle', value_usd: 10, fulfillment_type: 'physical' },
  ];

  const fetchPublished = async (id: string) => {
    const verify = (await anonymous().get(`/drawings/${id}/verify`).expect(200)).body;
    const list = await anonymous().get(`/drawings/${id}/ticket-list`).expect(200);
    expect(list.headers['content-type']).toMatch(/^text\/csv/);
    return { verify, csv: list.text };
  };

  it('schedule → open → sell → close (hash) → execute: winners recomputed independently; the seed is revealed only after', async () => {
    const drawing = await createDrawing(t, admin, 'open', { prizes });
    const users = await Promise.all([0, 1, 2, 3].map(() => memberWithPoints(t, 1000)));
    for (const [i, user] of users.entries()) {
      await asUser(t, user)
        .post(`/drawings/${drawing.id}/tickets`)
        .send({ quantity: i + 1 })
        .expect(201);
      await asUser(t, user).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    }
    const before = (await anonymous().get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(before).toMatchObject({
      seed: null,
      tickets_hash: null,
      winners: [],
      algorithm: 'fittrack-draw-v1',
    });
    await anonymous().get(`/drawings/${drawing.id}/ticket-list`).expect(409);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(409);

    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    const closed = (await anonymous().get(`/drawings/${drawing.id}/verify`).expect(200)).body;
    expect(closed.tickets_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(closed.seed).toBeNull();
    expect(closed.total_tickets).toBe(14);

    const executed = (await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200)).body;
    expect(executed.winners).toHaveLength(3);
    const { verify, csv } = await fetchPublished(drawing.id);
    expect(verify).toEqual(executed);
    expect(verify.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(recompute(verify, csv)).toEqual(verify.winners);
    expect(new Set(verify.winners.map((w: { user_id: string }) => w.user_id)).size).toBe(3);

    // Idempotent: a second execution draws nothing and returns the same result.
    expect((await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200)).body).toEqual(executed);
    const fulfillments = await dataSource(t).getRepository(PrizeFulfillment).find();
    const mine = fulfillments.filter((f) =>
      verify.winners.some((w: { user_id: string }) => w.user_id === f.userId),
    );
    expect(mine.map((f) => f.status).sort()).toEqual(['delivered', 'winner_notified', 'winner_notified']);
    const winning = await dataSource(t)
      .getRepository(Ticket)
      .findBy({ drawingId: drawing.id, isWinner: true });
    expect(winning).toHaveLength(3);
  });

  it('fewer owners than prizes: the remaining ranks go unawarded; zero tickets: completed, no winners', async () => {
    const few = await createDrawing(t, admin, 'open', { prizes });
    const only = await memberWithPoints(t, 1000);
    await asUser(t, only).post(`/drawings/${few.id}/tickets`).send({ quantity: 3 }).expect(201);
    await admin.put(`/admin/drawings/${few.id}`).send({ status: 'closed' }).expect(200);
    const result = (await admin.post(`/admin/drawings/${few.id}/execute`).expect(200)).body;
    expect(result.winners).toHaveLength(1);
    const { verify, csv } = await fetchPublished(few.id);
    expect(recompute(verify, csv)).toEqual(result.winners);

    const empty = await createDrawing(t, admin, 'open', { prizes });
    await admin.put(`/admin/drawings/${empty.id}`).send({ status: 'closed' }).expect(200);
    const none = (await admin.post(`/admin/drawings/${empty.id}/execute`).expect(200)).body;
    expect(none).toMatchObject({ status: 'completed', total_tickets: 0, winners: [] });
  });

  it('a tampered list or seed fails verification', async () => {
    const drawing = await createDrawing(t, admin, 'open');
    for (const user of await Promise.all([0, 1].map(() => memberWithPoints(t, 500)))) {
      await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 2 }).expect(201);
    }
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/execute`).expect(200);
    const { verify, csv } = await fetchPublished(drawing.id);
    expect(recompute(verify, csv)).toEqual(verify.winners);
    const swapped = csv.replace(/\n2,([0-9a-f-]+)\n/, '\n2,00000000-0000-4000-8000-000000000000\n');
    expect(() => recompute(verify, swapped)).toThrow('ticket list does not match');
    expect(() => recompute({ ...verify, seed: 'ff'.repeat(32) }, csv)).toThrow('seed does not match');
  });

  it('cancelling refunds every paid ticket (free ones are void); repeating refunds nothing twice', async () => {
    const drawing = await createDrawing(t, admin);
    const buyer = await memberWithPoints(t, 1000);
    await asUser(t, buyer).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 3 }).expect(201);
    await asUser(t, buyer).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 2 }).expect(201);
    await asUser(t, buyer).post(`/drawings/${drawing.id}/free-entry`).expect(201);
    await admin.post(`/admin/drawings/${drawing.id}/cancel`).expect(200);
    await admin.post(`/admin/drawings/${drawing.id}/cancel`).expect(200);
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'cancelled' }).expect(200);
    expect((await dataSource(t).getRepository(User).findOneByOrFail({ id: buyer.id })).pointBalance).toBe(
      1000,
    );
    const refunds = await dataSource(t)
      .getRepository(PointTransaction)
      .findBy({ userId: buyer.id, transactionType: 'refund' });
    expect(refunds.map((r) => r.amount).sort()).toEqual([200, 300]);
    await admin.put(`/admin/drawings/${drawing.id}`).send({ status: 'open' }).expect(409);
  });

  it('the scheduler tick opens, closes and executes due drawings; every admin action is in the audit log', async () => {
    const drawing = await createDrawing(t, admin, 'scheduled');
    // The minute cron tick enqueues the job; the job runs DrawingExecutionService.tick.
    const tick = async () => {
      await t.app.get(SchedulerTicks).dueDrawings();
      await t.drainJobs();
    };
    await tick();
    expect((await admin.get(`/drawings/${drawing.id}`).expect(200)).body.status).toBe('open');
    const user = await memberWithPoints(t, 1000);
    await asUser(t, user).post(`/drawings/${drawing.id}/tickets`).send({ quantity: 1 }).expect(201);
    t.clock.set(new Date(t.clock.now().getTime() + 3_700_000));
    await tick();
    expect((await admin.get(`/drawings/${drawing.id}`).expect(200)).body.status).toBe('closed');
    t.clock.set(new Date(t.clock.now().getTime() + 300_000));
    await tick();
    const done = (await admin.get(`/drawings/${drawing.id}`).expect(200)).body;
    expect(done.status).toBe('completed');
    const log = (await admin.get('/admin/audit-log?per_page=100').expect(200)).body.data.filter(
      (entry: { entity_id: string }) => entry.entity_id === drawing.id,
    );
    expect(log.map((entry: { action: string }) => entry.action).reverse()).toEqual([
      'drawing.create',
      'drawing.scheduled',
      'drawing.open',
      'drawing.closed',
      'drawing.execute',
    ]);
    expect(log.at(-1).actor_id).toEqual(expect.any(String));
    expect(JSON.stringify(log)).not.toContain(done.seed);
  });
});
